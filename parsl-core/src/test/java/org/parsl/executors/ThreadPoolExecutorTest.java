package org.parsl.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.TaskCallable;
import org.parsl.config.Config;

/** The thread-pool executor's side of the SPI: what it reports for a try, and in which order. */
class ThreadPoolExecutorTest {

    @TempDir
    Path runDir;

    private RunningExecutor running;

    private RunningExecutor start(int threads) {
        ThreadPoolExecutor spec = new ThreadPoolExecutor("cpu", threads);
        running = spec.start(new ExecutorContext("run", runDir, Config.builder().executor(spec).runDir(runDir).build()));
        return running;
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.shutdown();
        }
    }

    @Test
    void itReportsBodyEnds() {
        assertThat(start(1).reportsBodyEnds()).isTrue();
    }

    @Test
    void aFreshExecutorReportsNoTaskRunning() {
        // Its threads start with it; one that had not yet reached its idle wait used to count as running.
        for (int i = 0; i < 50; i++) {
            ExecutorStatus status = start(8).status();
            assertThat(status.busySlots()).as("tasks running in fresh executor %d", i).isZero();
            assertThat(status.queued()).isZero();
            running.shutdown();
            running = null;
        }
    }

    @Test
    void aTryReportsThatItRunsThenItsOutcomeThenItsBodyEndOnTheThreadThatRanIt() throws Exception {
        RecordingTry t = new RecordingTry(() -> Thread.currentThread().getName());
        start(1).submit(t);
        t.bodyEnd.await();
        assertThat(List.copyOf(t.events)).containsExactly("markRunning", "succeeded parsl-cpu-worker-1", "bodyEnded");
        assertThat(t.threads).containsOnly("parsl-cpu-worker-1");
    }

    @Test
    void aFailingTryReportsItsFailureThenItsBodyEnd() throws Exception {
        RecordingTry t = new RecordingTry(() -> {
            throw new IllegalStateException("boom");
        });
        start(1).submit(t);
        t.bodyEnd.await();
        assertThat(List.copyOf(t.events)).containsExactly("markRunning", "failed boom", "bodyEnded");
    }

    @Test
    void aTryCancelledWhileItRunsReportsItsBodyEndOnlyWhenTheBodyReturns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingTry t = new RecordingTry(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                release.await(); // ignores the interrupt for a while, as bodies may
            }
            return "late";
        });
        try {
            TaskHandle handle = start(1).submit(t);
            started.await();
            assertThat(handle.cancel(true)).isTrue();
            interrupted.await();
            assertThat(t.events).doesNotContain("bodyEnded");
            release.countDown();
            t.bodyEnd.await();
            assertThat(List.copyOf(t.events)).endsWith("bodyEnded").contains("markRunning");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTryCancelledBeforeItStartsReportsNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingTry blocker = new RecordingTry(() -> {
            release.await();
            return 1;
        });
        RecordingTry queued = new RecordingTry(() -> 2);
        RecordingTry last = new RecordingTry(() -> 3);
        RunningExecutor executor = start(1);
        try {
            executor.submit(blocker);
            executor.submit(queued).cancel(false);
            executor.submit(last);
        } finally {
            release.countDown();
        }
        last.bodyEnd.await(); // one thread, FIFO: the cancelled one was skipped before
        assertThat(queued.events).isEmpty();
    }

    @Test
    void aTryWhoseMarkRunningReturnsFalseNeverRunsAndReportsNoBodyEnd() throws Exception {
        RecordingTry refused = new RecordingTry(() -> "ran");
        refused.runAllowed = false;
        RecordingTry last = new RecordingTry(() -> 3);
        RunningExecutor executor = start(1);
        executor.submit(refused);
        executor.submit(last);
        last.bodyEnd.await();
        assertThat(List.copyOf(refused.events)).containsExactly("markRunning");
    }

    @Test
    void anInterruptFromACancelNeverReachesTheThreadsNextTry() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        RecordingTry cancelled = new RecordingTry(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                // ends at once, so the next try runs on this thread right after the cancel's interrupt
            }
            return "interrupted";
        });
        RecordingTry next = new RecordingTry(() -> Thread.currentThread().isInterrupted());
        RunningExecutor executor = start(1);
        TaskHandle handle = executor.submit(cancelled);
        executor.submit(next);
        started.await();
        assertThat(handle.cancel(true)).isTrue();
        next.bodyEnd.await();
        assertThat(List.copyOf(next.events)).containsExactly("markRunning", "succeeded false", "bodyEnded");
    }

    @Test
    void cancelWithoutInterruptLetsARunningBodyRunOnAndOnlyTheFirstCancelCounts() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingTry t = new RecordingTry(() -> {
            started.countDown();
            release.await(); // an interrupt would throw here
            return "ran on";
        });
        try {
            TaskHandle handle = start(1).submit(t);
            started.await();
            assertThat(handle.cancel(false)).isTrue();
            assertThat(handle.cancel(true)).isFalse();
            release.countDown();
            t.bodyEnd.await();
            assertThat(List.copyOf(t.events)).containsExactly("markRunning", "succeeded ran on", "bodyEnded");
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancellingAFinishedTryHasNoEffect() throws Exception {
        RecordingTry t = new RecordingTry(() -> "done");
        TaskHandle handle = start(1).submit(t);
        t.bodyEnd.await();
        assertThat(handle.cancel(true)).isFalse();
        assertThat(handle.cancel(false)).isFalse();
    }

    /** An ExecutorTask that records what the executor reports, and on which thread. */
    private static final class RecordingTry implements ExecutorTask {
        final Queue<String> events = new ConcurrentLinkedQueue<>();
        final Queue<String> threads = new ConcurrentLinkedQueue<>();
        final CountDownLatch bodyEnd = new CountDownLatch(1);
        final TaskCallable<?> body;
        volatile boolean runAllowed = true;

        RecordingTry(TaskCallable<?> body) {
            this.body = body;
        }

        private void record(String event) {
            events.add(event);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public long taskId() {
            return 1;
        }

        @Override
        public int tryNumber() {
            return 0;
        }

        @Override
        public String functionName() {
            return "recorded";
        }

        @Override
        public TaskCallable<?> body() {
            return body;
        }

        @Override
        public boolean markRunning(String worker) {
            record("markRunning");
            return runAllowed;
        }

        @Override
        public void succeeded(Object result) {
            record("succeeded " + result);
        }

        @Override
        public void failed(Throwable failure) {
            record("failed " + failure.getMessage());
        }

        @Override
        public void bodyEnded() {
            record("bodyEnded");
            bodyEnd.countDown();
        }
    }
}
