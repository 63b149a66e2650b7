package org.parsl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskCallable;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;
import org.parsl.executors.ThreadPoolExecutor;

/**
 * How the DataFlowKernel keeps a {@link TaskGroup}: tasks count until final, started bodies until they
 * end, and the fallback for executors that do not report body ends.
 */
class TaskGroupTest {

    @TempDir
    Path runDir;

    private final CountDownLatch release = new CountDownLatch(1);
    private DataFlowKernel dfk;

    @AfterEach
    void stop() {
        release.countDown();
        if (dfk != null) {
            dfk.cleanup();
        }
    }

    private DataFlowKernel load(ParslExecutor executor) {
        dfk = Parsl.load(Config.builder().executor(executor).runDir(runDir).build());
        return dfk;
    }

    private static TaskSpec spec(TaskCallable<?> body, TaskGroup group) {
        return new TaskSpec("body", body, resolved -> body, new Object[0], java.util.Set.of(), false, group);
    }

    @Test
    void aGroupTerminatesWhenShutDownAndItsTasksAndBodiesHaveEnded() throws Exception {
        DataFlowKernel dfk = load(new ThreadPoolExecutor("cpu", 1));
        TaskGroup group = new TaskGroup("the test's group");
        CountDownLatch started = new CountDownLatch(1);
        AppFuture<Object> future = dfk.submit(spec(() -> {
            started.countDown();
            release.await();
            return "done";
        }, group));
        started.await();
        assertThat(group.active()).isEqualTo(1); // one task whose execution has not completed
        group.shutdown();
        assertThat(group.isShutdown()).isTrue();
        assertThat(group.isTerminated()).isFalse();
        assertThatThrownBy(() -> dfk.submit(spec(() -> 1, group)))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("the test's group is shut down: it takes no new tasks");
        release.countDown();
        group.termination().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(group.isTerminated()).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThat(group.active()).isZero();
    }

    @Test
    void aSubmissionTheDataFlowKernelRejectsIsNotCounted() {
        DataFlowKernel dfk = load(new ThreadPoolExecutor("cpu", 1));
        TaskGroup group = new TaskGroup("g");
        TaskSpec onMissingExecutor = new TaskSpec("body", (TaskCallable<Integer>) () -> 1, r -> () -> 1, new Object[0],
                java.util.Set.of("gpux"), false, group);
        assertThatThrownBy(() -> dfk.submit(onMissingExecutor)).isInstanceOf(IllegalArgumentException.class);
        assertThat(group.active()).isZero();
        group.shutdown();
        assertThat(group.isTerminated()).isTrue();
    }

    @Test
    void aCancelledTryOfAnExecutorThatDoesNotReportBodyEndsCountsAsEndedSoTerminationDoesNotHang() throws Exception {
        Silent silent = new Silent("remote");
        try (ParslPoolExecutor pool = new ParslPoolExecutor(load(silent))) {
            AppFuture<Integer> running = pool.submit(() -> 1);
            silent.started.await(); // "remote" body running, and it will never report anything once cancelled

            pool.shutdownNow();

            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(running.isCancelled()).isTrue();
        }
    }

    @Test
    void aTryOfAnExecutorThatDoesNotReportBodyEndsEndsWithItsOutcome() throws Exception {
        Silent silent = new Silent("remote");
        try (ParslPoolExecutor pool = new ParslPoolExecutor(load(silent))) {
            AppFuture<Integer> running = pool.submit(() -> 1);
            silent.started.await();
            pool.shutdown();
            assertThat(pool.awaitTermination(0, TimeUnit.SECONDS)).isFalse();
            release.countDown(); // it reports succeeded, never bodyEnded
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(running.get()).isEqualTo(1);
        }
    }

    @Test
    void triesOfAnExecutorThatDoesNotReportBodyEndsCountAsEndedOnceItsDataFlowKernelStopsIt() throws Exception {
        Silent silent = new Silent("remote");
        DataFlowKernel dfk = load(silent);
        ParslPoolExecutor pool = new ParslPoolExecutor(dfk);
        pool.submit(() -> 1);
        silent.started.await();
        pool.shutdown();
        assertThat(pool.isTerminated()).isFalse();

        dfk.cleanup(); // cancels the task and stops the executor, which reports nothing more

        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * A stand-in for a distributed executor that does not report body ends: it reports that a try
     * runs, then its result once the test releases it — unless the try was cancelled, when it reports
     * nothing at all (as a remote executor that drops the result of a cancelled try).
     */
    private final class Silent implements ParslExecutor {
        private final String label;
        final CountDownLatch started = new CountDownLatch(1);

        Silent(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public RunningExecutor start(ExecutorContext context) {
            ExecutorService threads = Executors.newCachedThreadPool();
            return new RunningExecutor() {
                @Override
                public String label() {
                    return label;
                }

                @Override
                public TaskHandle submit(ExecutorTask task) {
                    boolean[] cancelled = {false};
                    threads.execute(() -> {
                        if (!task.markRunning("w-1")) {
                            return;
                        }
                        started.countDown();
                        try {
                            release.await();
                            Object value = task.body().call();
                            synchronized (cancelled) {
                                if (!cancelled[0]) {
                                    task.succeeded(value);
                                }
                            }
                        } catch (Exception e) {
                            synchronized (cancelled) {
                                if (!cancelled[0]) {
                                    task.failed(e);
                                }
                            }
                        }
                    });
                    return mayInterrupt -> {
                        synchronized (cancelled) {
                            cancelled[0] = true; // no interrupt reaches this "remote" body
                        }
                        return true;
                    };
                }

                @Override
                public ExecutorStatus status() {
                    return new ExecutorStatus(label, "silent", true, null, 1, 1, 0, 0, 0, List.of(), Map.of());
                }

                @Override
                public void shutdown() {
                    release.countDown();
                    threads.shutdownNow();
                }
            };
        }
    }
}
