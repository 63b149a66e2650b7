package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.dataflow.WalltimeExceeded;
import org.parsl.providers.LocalProvider;

/** Faults with real worker JVMs: walltime, a task that never returns, a worker out of memory, a close right after submitting. */
class FaultsIT {

    @TempDir
    Path dir;

    private Config config(int slots, int retries, List<String> jvmOptions) {
        return Config.builder()
                .executor(ItSupport.executor("hz").maxWorkersPerNode(slots).prefetchCapacity(0)
                        .heartbeatPeriod(Duration.ofMillis(500)).heartbeatThreshold(Duration.ofSeconds(3))
                        .provider(LocalProvider.builder().initBlocks(1).maxBlocks(1).jvmOptions(jvmOptions).build()).build())
                .strategy("none").retries(retries).runDir(dir).build();
    }

    private static final TaskCallable<String> TEN_SECONDS = () -> {
        Thread.sleep(10_000);
        return "too late";
    };

    private static final TaskCallable<String> WHERE = () -> {
        WorkerContext c = WorkerContext.current().orElseThrow();
        return c.workerId() + "/" + c.slot();
    };

    @Test
    void aWalltimeOfOneSecondFailsATenSecondRemoteTaskAndTheNextTaskRunsInItsSlot() throws Exception {
        try (ParslPoolExecutor warm = new ParslPoolExecutor(config(1, 0, List.of()))) {
            String slot = warm.submit(WHERE).get(90, TimeUnit.SECONDS); // the worker is up
            try (ParslPoolExecutor pool = new ParslPoolExecutor(warm.dfk(), List.of(), Duration.ofSeconds(1))) {
                AppFuture<String> slow = pool.submit(TEN_SECONDS);
                AppFuture<String> next = pool.submit(WHERE);
                assertThatThrownBy(() -> slow.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(WalltimeExceeded.class).hasMessageEndingWith("exceeded its walltime of PT1S");
                // one slot: the next task runs there once the worker has interrupted the slow one, long before its 10 s
                assertThat(next.get(8, TimeUnit.SECONDS)).isEqualTo(slot);
            }
        }
    }

    /** Spins until its deadline, swallowing interrupts: code that ignores cancellation. */
    private static final TaskCallable<String> DEAF = () -> {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // deaf on purpose
            }
        }
        return "never";
    };

    @Test
    void aRemoteTaskThatIgnoresItsInterruptPastItsWalltimeHasItsSlotThreadRetiredAndTheSlotServesAgain() throws Exception {
        try (ParslPoolExecutor warm = new ParslPoolExecutor(config(1, 0, List.of()))) {
            String slot = warm.submit(WHERE).get(90, TimeUnit.SECONDS);
            try (ParslPoolExecutor pool = new ParslPoolExecutor(warm.dfk(), List.of(), Duration.ofSeconds(1))) {
                AppFuture<String> deaf = pool.submit(DEAF);
                assertThatThrownBy(() -> deaf.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(WalltimeExceeded.class);
                // the only slot is held by a body that never returns: after the retire delay (5 s) a fresh thread serves it
                assertThat(pool.submit(WHERE).get(30, TimeUnit.SECONDS)).isEqualTo(slot);
            }
        }
    }

    @Test
    void aTaskThatSleepsForeverDoesNotStopTheOtherSlotAndShutdownNowPlusCloseReturnWithinThirtySeconds() throws Exception {
        ParslPoolExecutor pool = new ParslPoolExecutor(config(2, 0, List.of()));
        long closed;
        try {
            AppFuture<Object> forever = pool.submit(() -> {
                Thread.sleep(Long.MAX_VALUE);
                return null;
            });
            await().atMost(Duration.ofSeconds(90)).until(() -> forever.state() == TaskState.RUNNING);
            List<AppFuture<String>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add(pool.submit(WHERE));
            }
            List<String> slots = new ArrayList<>();
            for (AppFuture<String> f : others) {
                slots.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(slots).as("all ran in the slot the forever task leaves free").containsOnly(slots.get(0));
            closed = System.nanoTime();
            pool.shutdownNow();
            pool.close();
            assertThat(forever.isCancelled()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(30));
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void aWorkerOutOfMemoryFailsItsTaskWithinSixtySecondsAndLaterTasksSucceedOnItsReplacement() throws Exception {
        TaskFunction<Integer, Integer> allocate = mb -> new byte[mb * 1024 * 1024].length;
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(1, 0, List.of("-Xmx96m")))) {
            assertThat(pool.submit(WHERE).get(90, TimeUnit.SECONDS)).isNotBlank();
            long before = System.nanoTime();
            AppFuture<Integer> tooBig = pool.submit(allocate, 200);
            assertThatThrownBy(() -> tooBig.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WorkerLost.class);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(60));
            for (int i = 0; i < 5; i++) {
                assertThat(pool.submit(allocate, 1).get(90, TimeUnit.SECONDS)).isEqualTo(1024 * 1024);
            }
        }
    }

    @Test
    void closeRightAfterTenTwoSecondRemoteTasksLetsAllTenSucceed() throws Exception {
        TaskFunction<Integer, Integer> twoSeconds = x -> {
            Thread.sleep(2_000);
            return x * 2;
        };
        List<AppFuture<Integer>> futures = new ArrayList<>();
        DataFlowKernel dfk = Parsl.load(config(5, 0, List.of()));
        try {
            ParslPoolExecutor pool = new ParslPoolExecutor(dfk);
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(twoSeconds, i));
            }
            dfk.close(); // at once: the worker may not even be up yet
        } finally {
            dfk.cleanup();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(futures.get(i).get(0, TimeUnit.SECONDS)).isEqualTo(i * 2);
        }
        assertThat(futures).noneMatch(f -> f.isCancelled());
    }
}
