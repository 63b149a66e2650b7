package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

/** The remote {@code @Async} path (bean + method + JSON) through an executor that serializes every body. */
class ParslAsyncRemoteTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir, "parsl.executors.cpu.max-threads=1",
                    "parsl.executors.gpu.type=hazelcast")
            .withUserConfiguration(RemoteConfig.class);

    @Test
    void aRecordGoesAndComesBackIntact() {
        runner.run(context -> {
            Shapes shapes = context.getBean(Shapes.class);
            Point p = new Point(1, "a", Instant.parse("2026-01-02T03:04:05Z"));
            assertThat(shapes.move(p, 2).get(10, TimeUnit.SECONDS)).isEqualTo(new Point(3, "a", p.at()));
        });
    }

    @Test
    void aListOfRecordsAndGenericMapsAreReadBackIntoTheDeclaredTypes() {
        runner.run(context -> {
            Shapes shapes = context.getBean(Shapes.class);
            List<Point> points = List.of(new Point(1, "a", Instant.EPOCH), new Point(2, "b", Instant.EPOCH));
            List<Point> moved = shapes.moveAll(points, 10).get(10, TimeUnit.SECONDS);
            assertThat(moved).containsExactly(new Point(11, "a", Instant.EPOCH), new Point(12, "b", Instant.EPOCH));
            assertThat(moved.get(0)).isInstanceOf(Point.class);
            Map<String, List<Point>> byName = shapes.byName(points).get(10, TimeUnit.SECONDS);
            assertThat(byName.get("b")).containsExactly(new Point(2, "b", Instant.EPOCH));
        });
    }

    @Test
    void theCallRunsWhereTheExecutorRunsIt() {
        runner.run(context -> assertThat(context.getBean(Shapes.class).where().get(10, TimeUnit.SECONDS))
                .isEqualTo("fake-worker-gpu"));
    }

    @Test
    void aFutureArgumentIsAwaitedAndSentAsItsValue() {
        runner.run(context -> {
            Shapes shapes = context.getBean(Shapes.class);
            CompletableFuture<Point> later = new CompletableFuture<>();
            CompletableFuture<Point> moved = shapes.moveLater(later, 1);
            assertThat(moved).isNotDone();
            later.complete(new Point(5, "late", Instant.EPOCH));
            assertThat(moved.get(10, TimeUnit.SECONDS)).isEqualTo(new Point(6, "late", Instant.EPOCH));
            // a result of one call is a dependency of the next
            assertThat(shapes.moveLater(shapes.move(new Point(0, "x", Instant.EPOCH), 1), 1).get(10, TimeUnit.SECONDS).x())
                    .isEqualTo(2);
        });
    }

    @Test
    void theMethodsExceptionFailsTheFuture() {
        runner.run(context -> assertThatThrownBy(() -> context.getBean(Shapes.class).fails().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class)
                .cause().hasMessage("no shape"));
    }

    @Test
    void aThreadPoolLabelOfTheSameBeanStaysLocal() {
        runner.run(context -> assertThat(context.getBean(Shapes.class).local().get(10, TimeUnit.SECONDS))
                .startsWith("parsl-cpu-worker-"));
    }

    @Test
    void aReturnTypeThatARemoteCallCannotCompleteIsRejectedWithTheFix() {
        runner.run(context -> assertThatThrownBy(() -> context.getBean(Shapes.class).appFuture())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declare CompletableFuture<T>"));
    }

    @Test
    void theKernelHasBothExecutors() {
        runner.run(context -> assertThat(context.getBean(DataFlowKernel.class).executorLabels()).containsExactly("cpu", "gpu"));
    }

    record Point(int x, String name, Instant at) {
    }

    static class Shapes {
        @Async("gpu")
        public CompletableFuture<Point> move(Point p, int dx) {
            return CompletableFuture.completedFuture(new Point(p.x() + dx, p.name(), p.at()));
        }

        @Async("gpu")
        public CompletableFuture<Point> moveLater(CompletableFuture<Point> p, int dx) {
            Point point = p.join();
            return CompletableFuture.completedFuture(new Point(point.x() + dx, point.name(), point.at()));
        }

        @Async("gpu")
        public CompletableFuture<List<Point>> moveAll(List<Point> points, int dx) {
            return CompletableFuture.completedFuture(points.stream().map(p -> new Point(p.x() + dx, p.name(), p.at())).toList());
        }

        @Async("gpu")
        public CompletableFuture<Map<String, List<Point>>> byName(List<Point> points) {
            return CompletableFuture.completedFuture(points.stream()
                    .collect(java.util.stream.Collectors.groupingBy(Point::name)));
        }

        @Async("gpu")
        public CompletableFuture<String> where() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("gpu")
        public CompletableFuture<String> fails() {
            throw new IllegalStateException("no shape");
        }

        @Async("gpu")
        public org.parsl.dataflow.AppFuture<String> appFuture() {
            return null;
        }

        @Async("cpu")
        public CompletableFuture<String> local() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class RemoteConfig {
        @Bean
        Shapes shapes() {
            return new Shapes();
        }

        @Bean
        RemoteExecutors fakeRemoteExecutors(BeanFactory beanFactory) {
            return (label, properties) -> new SerializingExecutor(label, () -> beanFactory.getBean(ParslAsyncInvoker.class));
        }
    }
}
