package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.concurrent.ParslPoolExecutor;
import org.slf4j.MDC;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;

/** What travels with an {@code @Async} task: decorators, the MDC, the trace, its observation, its failure. */
class ParslAsyncContextTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir, "parsl.executors.cpu.max-threads=2", "parsl.executors.gpu.type=hazelcast")
            .withUserConfiguration(AppConfig.class);

    @Test
    void aFailingVoidMethodReachesTheApplicationsUncaughtExceptionHandler() {
        runner.withUserConfiguration(HandlerConfig.class).run(context -> {
            context.getBean(Work.class).failsQuietly();
            Recorded handler = context.getBean(Recorded.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !handler.failures.isEmpty());
            assertThat(handler.failures).containsExactly("failsQuietly:boom");
        });
    }

    @Test
    void everyTaskDecoratorWrapsALocalTaskComposedAsBootDoesWithTheCallersMdc() {
        runner.withUserConfiguration(DecoratorConfig.class).run(context -> {
            MDC.put("user", "ada");
            try {
                assertThat(context.getBean(Work.class).seen("user").get(10, TimeUnit.SECONDS))
                        .isEqualTo("[second, first] user=ada"); // CompositeTaskDecorator: the last one is outermost
            } finally {
                MDC.remove("user");
            }
        });
    }

    @Test
    void theTaskDecoratorsWrapTasksSubmittedToAThreadPoolPoolBeanToo() {
        runner.withUserConfiguration(DecoratorConfig.class).run(context -> {
            MDC.put("user", "ada");
            try {
                org.parsl.app.TaskCallable<String> seen = () -> MDC.get("decorators") + " user=" + MDC.get("user");
                assertThat(context.getBean("cpu", ParslPoolExecutor.class).submit(seen).get(10, TimeUnit.SECONDS))
                        .isEqualTo("[second, first] user=ada");
            } finally {
                MDC.remove("user");
            }
        });
    }

    @Test
    void theCallersMdcTravelsWithACallSentToAWorker() {
        runner.run(context -> {
            MDC.put("user", "grace");
            try {
                assertThat(context.getBean(Work.class).remoteSeen("user").get(10, TimeUnit.SECONDS)).isEqualTo("grace@fake-worker-gpu");
            } finally {
                MDC.remove("user");
            }
            assertThat(MDC.get("user")).isNull();
        });
    }

    @Test
    void eachTaskIsOneObservationWithItsExecutorAndOutcome() {
        runner.withUserConfiguration(ObservationConfig.class).run(context -> {
            Work work = context.getBean(Work.class);
            work.seen("x").get(10, TimeUnit.SECONDS);
            try {
                work.fails().get(10, TimeUnit.SECONDS);
            } catch (Exception expected) {
                // the failed outcome below
            }
            context.getBean("cpu", ParslPoolExecutor.class).submit(() -> 1).get(10, TimeUnit.SECONDS);
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.stopped(ParslTaskObservations.NAME).size() == 3);
            assertThat(recorder.stopped(ParslTaskObservations.NAME)).extracting(c -> c.getLowCardinalityKeyValue("executor").getValue())
                    .containsOnly("cpu");
            assertThat(recorder.stopped(ParslTaskObservations.NAME)).extracting(c -> c.getLowCardinalityKeyValue("outcome").getValue())
                    .containsExactlyInAnyOrder("success", "failed", "success");
            assertThat(recorder.stopped(ParslTaskObservations.NAME)).filteredOn(c -> c.getError() != null).hasSize(1);
        });
    }

    @Test
    void theCallersObservationIsTheParentAndTheTraceTravelsToTheWorker() {
        runner.withUserConfiguration(ObservationConfig.class).run(context -> {
            ObservationRegistry registry = context.getBean(ObservationRegistry.class);
            Observation request = Observation.start("http.request", registry);
            try (Observation.Scope scope = request.openScope()) {
                context.getBean(Work.class).remoteSeen("none").get(10, TimeUnit.SECONDS);
            } finally {
                request.stop();
            }
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.stopped(ParslTaskObservations.NAME).size() == 1);
            Observation.Context task = recorder.stopped(ParslTaskObservations.NAME).get(0);
            assertThat(task.getParentObservation()).isSameAs(request);
            assertThat(task.getLowCardinalityKeyValue("executor").getValue()).isEqualTo("gpu");
            Observation.Context run = recorder.stopped(ParslTaskObservations.RUN_NAME).get(0);
            assertThat(run).isInstanceOf(ReceiverContext.class);
            @SuppressWarnings("unchecked")
            Map<String, String> carrier = ((ReceiverContext<Map<String, String>>) run).getCarrier();
            assertThat(carrier).containsEntry("traceparent", "trace-of-" + task.getHighCardinalityKeyValue("parsl.task.id").getValue());
        });
    }

    static class Work {
        @Async("cpu")
        public void failsQuietly() {
            throw new IllegalStateException("boom");
        }

        @Async("cpu")
        public CompletableFuture<String> fails() {
            throw new IllegalStateException("no");
        }

        @Async("cpu")
        public CompletableFuture<String> seen(String key) {
            return CompletableFuture.completedFuture(String.valueOf(MDC.get("decorators")) + " " + key + "=" + MDC.get(key));
        }

        @Async("gpu")
        public CompletableFuture<String> remoteSeen(String key) {
            return CompletableFuture.completedFuture(MDC.get(key) + "@" + Thread.currentThread().getName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AppConfig {
        @Bean
        Work work() {
            return new Work();
        }

        @Bean
        RemoteExecutors fakeRemoteExecutors(BeanFactory beanFactory) {
            return (label, properties) -> new SerializingExecutor(label, () -> beanFactory.getBean(ParslAsyncInvoker.class));
        }
    }

    static class Recorded implements AsyncUncaughtExceptionHandler {
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void handleUncaughtException(Throwable ex, Method method, Object... params) {
            failures.add(method.getName() + ":" + ex.getMessage());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfig {
        @Bean
        Recorded recorded() {
            return new Recorded();
        }

        @Bean
        AsyncConfigurer asyncConfigurer(Recorded recorded) {
            return new AsyncConfigurer() {
                @Override
                public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
                    return recorded;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DecoratorConfig {
        @Bean
        @Order(1)
        TaskDecorator first() {
            return decorator("first");
        }

        @Bean
        @Order(2)
        TaskDecorator second() {
            return decorator("second");
        }

        /** Copies the caller's MDC, and notes its name in the MDC key "decorators". */
        private static TaskDecorator decorator(String name) {
            return runnable -> {
                Map<String, String> caller = MDC.getCopyOfContextMap();
                return () -> {
                    if (caller != null) {
                        caller.forEach(MDC::put);
                    }
                    String before = MDC.get("decorators");
                    MDC.put("decorators", before == null ? "[" + name + "]" : before.replace("]", ", " + name + "]"));
                    try {
                        runnable.run();
                    } finally {
                        MDC.clear();
                    }
                };
            };
        }
    }

    /** Records the observations, and stands in for a tracing handler: puts a header into the carrier of a sender. */
    static class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            if (context instanceof SenderContext<?> sender && sender.getCarrier() instanceof Map<?, ?>) {
                ((SenderContext<Map<String, String>>) sender).getSetter().set((Map<String, String>) sender.getCarrier(), "traceparent",
                        "trace-of-" + context.getHighCardinalityKeyValue("parsl.task.id").getValue());
            }
        }

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<Observation.Context> stopped(String name) {
            return stopped.stream().filter(c -> name.equals(c.getName())).toList();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ObservationConfig {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }

        @Bean
        ObservationRegistry observationRegistry(Recorder recorder) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(recorder);
            return registry;
        }
    }
}
