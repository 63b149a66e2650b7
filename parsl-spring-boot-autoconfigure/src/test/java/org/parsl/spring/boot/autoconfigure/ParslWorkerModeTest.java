package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.TaskCallable;
import org.parsl.concurrent.ParslPoolExecutor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The worker side of {@code @Async}: a worker-mode context runs the calls it receives on the calling
 * thread — only those of {@code @Async} methods of the labels it serves — and its own pools run locally.
 */
class ParslWorkerModeTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir, "parsl.worker.enabled=true", "parsl.worker.labels=gpu",
                    "parsl.executors.cpu.max-threads=1", "parsl.executors.gpu.type=hazelcast")
            .withUserConfiguration(WorkerApp.class);

    @Test
    void aReceivedCallRunsTheBeanMethodOnTheWorkersThreadAndReturnsJson() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Object json = receive(context.getBean(ParslAsyncInvoker.class), "stamp",
                    List.of(Point.class.getName(), CompletableFuture.class.getName()), new Point(1, "p"), 5);
            assertThat(json).isEqualTo("{\"point\":{\"x\":6,\"name\":\"p\"},\"thread\":\"" + Thread.currentThread().getName() + "\"}");
        });
    }

    @Test
    void aForgedCallOfAMethodWithoutAsyncIsRefusedWithoutRunning() {
        runner.run(context -> {
            Echo echo = context.getBean(Echo.class);
            assertThatThrownBy(() -> receive(context.getBean(ParslAsyncInvoker.class), "notAsync", List.of()))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("not an @Async method");
            assertThat(echo.runs()).isZero();
        });
    }

    @Test
    void aForgedCallOfAMethodOfALabelTheWorkerDoesNotServeIsRefusedWithoutRunning() {
        runner.run(context -> {
            Echo echo = context.getBean(Echo.class);
            assertThatThrownBy(() -> receive(context.getBean(ParslAsyncInvoker.class), "onCpu", List.of()))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("does not serve");
            assertThat(echo.runs()).isZero();
        });
    }

    @Test
    void aForgedCallOfAPrivateMethodIsRefusedWithoutRunning() {
        runner.run(context -> {
            Echo echo = context.getBean(Echo.class);
            assertThatThrownBy(() -> receive(context.getBean(ParslAsyncInvoker.class), "secret", List.of()))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("not a public instance method");
            assertThat(echo.runs()).isZero();
        });
    }

    @Test
    void aForgedCallOfABeanThatIsNotThereIsRefused() {
        runner.run(context -> {
            RemoteBeanCall call = new RemoteBeanCall("parslDataFlowKernel", "x", "cleanup", List.of(), List.of(),
                    CallerContext.EMPTY, java.util.Map.of(), null);
            assertThatThrownBy(() -> WorkerServices.callWith(context.getBean(ParslAsyncInvoker.class), SerializingExecutor.roundTrip(call)))
                    .isInstanceOf(SecurityException.class);
        });
    }

    @Test
    void anAsyncCallMadeOnAWorkerRunsOnTheWorkersOwnThreadPool() {
        runner.run(context -> assertThat(context.getBean(Echo.class).where().get(10, TimeUnit.SECONDS))
                .startsWith("parsl-gpu-worker-"));
    }

    @Test
    void aBeanInjectingPoolsByQualifierStartsOnAWorker() {
        runner.run(context -> assertThat(context.getBean(PoolUser.class).cpu.submit(() -> 1 + 1).get()).isEqualTo(2));
    }

    @Test
    void aWorkerWithoutLabelsFailsStartupNamingTheProperty() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
                .withPropertyValues("parsl.run-dir=" + runDir, "parsl.worker.enabled=true", "parsl.hazelcast.secret=0123456789abcdef")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(new ParslConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                            .contains("parsl.worker.labels is empty");
                });
    }

    private static Object receive(ParslAsyncInvoker invoker, String method, List<String> types, Object... args) throws Exception {
        JsonCodec codec = invoker.codec();
        List<String> json = java.util.Arrays.stream(args).map(codec::write).toList();
        RemoteBeanCall call = new RemoteBeanCall("echo", Echo.class.getName(), method, types, json, CallerContext.EMPTY,
                java.util.Map.of(), null);
        TaskCallable<?> received = SerializingExecutor.roundTrip(call);
        return WorkerServices.callWith(invoker, received);
    }

    record Point(int x, String name) {
    }

    record Stamped(Point point, String thread) {
    }

    static class Echo {
        private final AtomicInteger runs = new AtomicInteger();

        public int runs() {
            return runs.get();
        }

        @Async("gpu")
        public CompletableFuture<Stamped> stamp(Point p, CompletableFuture<Integer> dx) {
            return CompletableFuture.completedFuture(new Stamped(new Point(p.x() + dx.join(), p.name()),
                    Thread.currentThread().getName()));
        }

        @Async("gpu")
        public CompletableFuture<String> where() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("cpu")
        public CompletableFuture<String> onCpu() {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        }

        public String notAsync() {
            runs.incrementAndGet();
            return "ran";
        }

        @SuppressWarnings("unused")
        private String secret() {
            runs.incrementAndGet();
            return "ran";
        }
    }

    static class PoolUser {
        final ParslPoolExecutor cpu;
        final ParslPoolExecutor gpu;

        PoolUser(ParslPoolExecutor cpu, ParslPoolExecutor gpu) {
            this.cpu = cpu;
            this.gpu = gpu;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class WorkerApp {
        @Bean
        Echo echo() {
            return new Echo();
        }

        @Bean
        PoolUser poolUser(@Qualifier("cpu") ParslPoolExecutor cpu, @Qualifier("gpu") ParslPoolExecutor gpu) {
            return new PoolUser(cpu, gpu);
        }

        /** Stands in for the Hazelcast worker, which would join a cluster. */
        @Bean
        Object parslWorkerLifecycle() {
            return new Object();
        }
    }
}
