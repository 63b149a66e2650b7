package org.parsl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.app.TaskCallable;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;

/** Walltime on a local executor: the try fails with WalltimeExceeded, its thread is interrupted, retries apply. */
class WalltimeTest {

    @TempDir
    Path runDir;

    private Config config(int retries) {
        return Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).retries(retries).runDir(runDir).build();
    }

    private static final TaskCallable<String> TEN_SECONDS = () -> {
        Thread.sleep(10_000);
        return "too late";
    };

    @Test
    void aTryPastItsWalltimeFailsWithATimeoutNamingTheLimitAndTheNextTaskRunsOnTheFreedThread() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(config(0))) {
            AppFuture<String> slow = App.of(dfk, TEN_SECONDS).walltime(Duration.ofSeconds(1)).call();
            AppFuture<String> next = App.of(dfk, () -> Thread.currentThread().getName()).call();
            assertThatThrownBy(() -> slow.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WalltimeExceeded.class)
                    .hasMessage("task " + slow.taskId() + " (" + App.of(dfk, TEN_SECONDS).functionName() + ") exceeded its walltime of PT1S");
            assertThat(slow.state()).isEqualTo(TaskState.FAILED);
            // one thread: the next task can only run once the interrupted body has given it back
            assertThat(next.get(30, TimeUnit.SECONDS)).isEqualTo("parsl-cpu-worker-1");
        }
    }

    @Test
    void aTimedOutBodyIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        try (DataFlowKernel dfk = Parsl.load(config(0))) {
            AppFuture<Object> f = App.of(dfk, () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return null;
            }).walltime(Duration.ofMillis(200)).call();
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(WalltimeExceeded.class);
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void retriesApplyToATimedOutTry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (DataFlowKernel dfk = Parsl.load(config(2))) {
            AppFuture<Integer> f = App.of(dfk, () -> {
                int n = calls.incrementAndGet();
                if (n < 3) {
                    Thread.sleep(60_000);
                }
                return n;
            }).walltime(Duration.ofMillis(200)).call();
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(dfk.taskStateCount(TaskState.EXEC_DONE)).isEqualTo(1);
        }
    }

    @Test
    void theTriesOfATimedOutTaskRecordTheWalltimeFailure() throws Exception {
        List<TaskTry> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DataFlowKernel dfk = Parsl.load(config(1))) {
            dfk.addListener(new TaskListener() {
                @Override
                public void tryEnded(TaskRecord task, TaskTry attempt) {
                    tries.add(attempt);
                }
            });
            AppFuture<String> f = App.of(dfk, TEN_SECONDS).walltime(Duration.ofMillis(200)).call();
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(WalltimeExceeded.class);
            assertThat(tries).hasSize(2).allSatisfy(t -> assertThat(t.failure()).isInstanceOf(WalltimeExceeded.class));
        }
    }

    @Test
    void aTaskWithinItsWalltimeSucceeds() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(config(0))) {
            assertThat(App.of(dfk, () -> 42).walltime(Duration.ofMinutes(5)).call().get(30, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    @Test
    void aPoolGivesItsWalltimeToEveryTask() throws Exception {
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(0), Duration.ofMillis(300))) {
            assertThat(pool.walltime()).contains(Duration.ofMillis(300));
            AppFuture<String> slow = pool.submit(TEN_SECONDS);
            assertThat(pool.submit(() -> "fast").get(30, TimeUnit.SECONDS)).isEqualTo("fast");
            assertThatThrownBy(() -> slow.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(WalltimeExceeded.class)
                    .hasMessageEndingWith("exceeded its walltime of PT0.3S");
        }
    }

    @Test
    void aWalltimeMustBePositive() {
        try (DataFlowKernel dfk = Parsl.load(config(0))) {
            App<Integer> app = App.of(dfk, () -> 1);
            assertThatThrownBy(() -> app.walltime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("walltime is PT0S");
            assertThatThrownBy(() -> new ParslPoolExecutor(dfk, List.of(), Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
            assertThat(app.walltime()).isEmpty();
        }
    }
}
