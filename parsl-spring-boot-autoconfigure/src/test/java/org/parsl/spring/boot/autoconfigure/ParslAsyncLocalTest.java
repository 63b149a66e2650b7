package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.DependencyError;
import org.parsl.dataflow.TaskState;
import org.parsl.dataflow.WalltimeExceeded;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

class ParslAsyncLocalTest {

    @TempDir
    static Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
            .withPropertyValues("parsl.run-dir=" + runDir, "parsl.executors.cpu.max-threads=2")
            .withUserConfiguration(AsyncConfig.class);

    @Test
    void asyncOnAThreadPoolLabelRunsAsAParslTaskInThisJvm() {
        runner.run(context -> {
            Work work = context.getBean(Work.class);
            CompletableFuture<String> thread = work.threadName();
            assertThat(thread).isInstanceOf(AppFuture.class);
            assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("parsl-cpu-worker-");
            assertThat(((AppFuture<String>) thread).state()).isEqualTo(TaskState.EXEC_DONE);
            assertThat(context.getBean(DataFlowKernel.class).taskStateCount(TaskState.EXEC_DONE)).isEqualTo(1);
        });
    }

    @Test
    void aCompletableFutureArgumentIsADependency() {
        runner.run(context -> {
            Work work = context.getBean(Work.class);
            CompletableFuture<Integer> input = new CompletableFuture<>();
            CompletableFuture<Integer> doubled = work.twice(input);
            AppFuture<Integer> task = (AppFuture<Integer>) doubled;
            assertThat(task.state()).isEqualTo(TaskState.PENDING);
            assertThat(work.calls()).isZero();
            input.complete(21);
            assertThat(doubled.get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(work.calls()).isEqualTo(1);
        });
    }

    @Test
    void aFailedDependencyFailsTheCallWithoutRunningIt() {
        runner.run(context -> {
            Work work = context.getBean(Work.class);
            CompletableFuture<Integer> input = CompletableFuture.failedFuture(new IllegalStateException("no input"));
            assertThatThrownBy(() -> work.twice(input).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DependencyError.class);
            assertThat(work.calls()).isZero();
        });
    }

    @Test
    void anExceptionOfTheMethodFailsItsFuture() {
        runner.run(context -> assertThatThrownBy(() -> context.getBean(Work.class).fails().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("bad input"));
    }

    @Test
    void plainAsyncStillRunsOnBootsApplicationTaskExecutor() {
        runner.run(context -> {
            assertThat(context).hasBean("applicationTaskExecutor");
            assertThat(context.getBean(Work.class).plain().get(10, TimeUnit.SECONDS)).startsWith("task-");
        });
    }

    @Test
    void anApplicationsOwnPoolBeanGivesItsWalltimeToTheAsyncCallsItRuns() {
        runner.withUserConfiguration(WalltimePool.class).run(context -> {
            assertThat(context.getBean("cpu", ParslPoolExecutor.class).walltime()).contains(Duration.ofMillis(300));
            assertThatThrownBy(() -> context.getBean(Work.class).sleeps().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WalltimeExceeded.class);
            assertThat(context.getBean(Work.class).threadName().get(10, TimeUnit.SECONDS)).startsWith("parsl-cpu-");
        });
    }

    @Test
    void voidMethodsRunToo() {
        runner.run(context -> {
            Work work = context.getBean(Work.class);
            work.signal();
            assertThat(work.awaitSignal()).isTrue();
        });
    }

    static class Work {
        volatile int calls;
        final CountDownLatch signalled = new CountDownLatch(1);

        public int calls() {
            return calls;
        }

        public boolean awaitSignal() throws InterruptedException {
            return signalled.await(10, TimeUnit.SECONDS);
        }

        @Async("cpu")
        public CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("cpu")
        public CompletableFuture<Integer> twice(CompletableFuture<Integer> input) {
            calls++;
            return CompletableFuture.completedFuture(input.join() * 2);
        }

        @Async("cpu")
        public CompletableFuture<Integer> fails() {
            throw new IllegalArgumentException("bad input");
        }

        @Async("cpu")
        public CompletableFuture<String> sleeps() throws InterruptedException {
            Thread.sleep(30_000); // interrupted when a walltime ends the try
            return CompletableFuture.completedFuture("woke");
        }

        @Async("parslPoolExecutor")
        public void signal() {
            signalled.countDown();
        }

        @Async
        public CompletableFuture<String> plain() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }
    }

    /** The application's own pool for label cpu, with a walltime: the starter's bean of that name backs off. */
    @Configuration(proxyBeanMethods = false)
    static class WalltimePool {
        @Bean
        ParslPoolExecutor cpu(DataFlowKernel dfk) {
            return new ParslPoolExecutor(dfk, java.util.Set.of("cpu"), Duration.ofMillis(300));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfig {
        @Bean
        Work work() {
            return new Work();
        }
    }
}
