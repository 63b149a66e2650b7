package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.parsl.app.TaskCallable;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** The worker side of {@code @Async}: a worker-mode context runs the calls it receives on the calling thread. */
class ParslWorkerModeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.worker.enabled=true", "parsl.worker.labels=gpu")
            .withUserConfiguration(WorkerApp.class);

    @Test
    void aReceivedCallRunsTheBeanMethodOnTheWorkersThreadAndReturnsJson() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(DataFlowKernel.class);
            ParslAsyncInvoker invoker = context.getBean(ParslAsyncInvoker.class);
            JsonCodec codec = invoker.codec();
            RemoteBeanCall call = new RemoteBeanCall("echo", Echo.class.getName(), "stamp",
                    List.of(Point.class.getName(), CompletableFuture.class.getName()),
                    List.of(codec.write(new Point(1, "p")), codec.write(5)), null);
            TaskCallable<?> received = SerializingExecutor.roundTrip(call);
            Object json = WorkerServices.callWith(invoker, received);
            assertThat(json).isEqualTo("{\"point\":{\"x\":6,\"name\":\"p\"},\"thread\":\"" + Thread.currentThread().getName() + "\"}");
        });
    }

    @Test
    void callingAParslAsyncMethodOnAWorkerSaysWhyItCannotRun() {
        runner.run(context -> assertThatThrownBy(() -> context.getBean(Echo.class).stamp(new Point(0, "x"),
                CompletableFuture.completedFuture(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("worker mode"));
    }

    @Test
    void aWorkerWithoutLabelsFailsStartupNamingTheProperty() {
        runner.withPropertyValues("parsl.worker.labels=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(new ParslConfigurationFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
                    .contains("parsl.worker.labels is empty");
        });
    }

    record Point(int x, String name) {
    }

    record Stamped(Point point, String thread) {
    }

    static class Echo {
        @Async("gpu")
        public CompletableFuture<Stamped> stamp(Point p, CompletableFuture<Integer> dx) {
            return CompletableFuture.completedFuture(new Stamped(new Point(p.x() + dx.join(), p.name()),
                    Thread.currentThread().getName()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class WorkerApp {
        @Bean
        Echo echo() {
            return new Echo();
        }

        /** Stands in for the Hazelcast worker, which would join a cluster. */
        @Bean
        Object parslWorkerLifecycle() {
            return new Object();
        }
    }
}
