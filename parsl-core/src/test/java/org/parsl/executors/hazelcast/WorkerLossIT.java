package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskListener;
import org.parsl.dataflow.TaskRecord;
import org.parsl.dataflow.TaskState;
import org.parsl.dataflow.TaskTry;
import org.parsl.providers.LocalProvider;

/** kill -9 of a worker JVM that holds tasks: its tries fail with WorkerLost, and retries re-run them. */
class WorkerLossIT {

    private static final Duration THRESHOLD = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private Config config(int retries) {
        return Config.builder()
                .executor(ItSupport.executor("hz").maxWorkersPerNode(2).prefetchCapacity(0)
                        .heartbeatPeriod(Duration.ofMillis(500)).heartbeatThreshold(THRESHOLD)
                        .provider(LocalProvider.builder().initBlocks(2).maxBlocks(2).build()).build())
                .strategy("none").retries(retries).runDir(dir).build();
    }

    /** Records every try's failure and counts completions per task, to show none completes twice. */
    static final class Recorder implements TaskListener {
        final Map<Long, List<Throwable>> failures = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> finals = new ConcurrentHashMap<>();

        @Override
        public void tryEnded(TaskRecord task, TaskTry attempt) {
            if (attempt.failure() != null) {
                failures.computeIfAbsent(task.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(attempt.failure());
            }
        }

        @Override
        public void stateChanged(TaskRecord task, TaskState from, TaskState to) {
            if (to.isFinal()) {
                finals.computeIfAbsent(task.id(), k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    private static final TaskFunction<Integer, String> SLOW = x -> {
        Thread.sleep(1_500);
        return WorkerContext.current().orElseThrow().workerId() + ":" + (x * 10);
    };

    /**
     * Waits until both worker JVMs have joined: with no prefetch, a worker that joined alone would run
     * two of the four tasks, finish them and take the other two before its sibling joined (on a busy
     * machine one JVM can start seconds after the other), and the four would never run at once.
     */
    private static void awaitBothWorkers(DataFlowKernel dfk) {
        await().atMost(Duration.ofSeconds(90)).until(() -> dfk.executorStatuses().get(0).connectedWorkers() == 2);
    }

    /** Submits four tasks that fill the four slots, waits until all run, and kills one worker JVM. */
    private static long killAWorkerHoldingTasks(DataFlowKernel dfk, List<AppFuture<String>> futures) {
        await().atMost(Duration.ofSeconds(90)).until(() -> futures.stream().allMatch(f -> f.state() == TaskState.RUNNING));
        List<Long> pids = ItSupport.blockPids(dfk, "hz");
        assertThat(pids).hasSize(2);
        long victim = pids.get(0);
        ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL
        await().atMost(Duration.ofSeconds(10)).until(() -> !ItSupport.alive(victim));
        return System.nanoTime();
    }

    @Test
    void withOneRetryEveryFutureCompletesOnceWithTheRightValueAndTheTriesShowWorkerLost() throws Exception {
        Recorder recorder = new Recorder();
        try (DataFlowKernel dfk = Parsl.load(config(1)); ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            dfk.addListener(recorder);
            awaitBothWorkers(dfk);
            List<AppFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(SLOW, i));
            }
            killAWorkerHoldingTasks(dfk, futures);
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).endsWith(":" + (i * 10));
            }
            List<Throwable> lost = recorder.failures.values().stream().flatMap(List::stream).toList();
            assertThat(lost).hasSize(2).allSatisfy(t -> {
                assertThat(t).isInstanceOf(WorkerLost.class);
                assertThat(((WorkerLost) t).workerId()).isNotBlank();
            });
            assertThat(recorder.finals).hasSize(4).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
            assertThat(dfk.taskStateCounts().get(TaskState.EXEC_DONE)).isEqualTo(4);
        }
    }

    @Test
    void withoutRetriesTheLostTasksFailWithWorkerLostWithinTheHeartbeatThreshold() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(config(0)); ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            awaitBothWorkers(dfk);
            List<AppFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(SLOW, i));
            }
            long killed = killAWorkerHoldingTasks(dfk, futures);
            int failed = 0;
            for (AppFuture<String> f : futures) {
                try {
                    f.get(THRESHOLD.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(WorkerLost.class).hasMessageContaining("was lost");
                    long after = System.nanoTime() - killed;
                    assertThat(Duration.ofNanos(after)).isLessThanOrEqualTo(THRESHOLD.plusSeconds(1));
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(2);
            assertThat(futures).allMatch(AppFuture::isDone);
        }
    }

    @Test
    void aFrozenWorkerIsLostAfterTheHeartbeatThresholdAndItsTasksRunElsewhere() throws Exception {
        // SIGSTOP keeps the worker's connection open (like a lost network): only the heartbeats tell
        Recorder recorder = new Recorder();
        try (DataFlowKernel dfk = Parsl.load(config(1)); ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            dfk.addListener(recorder);
            awaitBothWorkers(dfk);
            List<AppFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(SLOW, i));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> futures.stream().allMatch(f -> f.state() == TaskState.RUNNING));
            long victim = ItSupport.blockPids(dfk, "hz").get(0);
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(victim)).start().waitFor()).isZero();
            long frozen = System.nanoTime();
            try {
                await().atMost(THRESHOLD.plusSeconds(3)).until(() -> !recorder.failures.isEmpty());
                Duration detected = Duration.ofNanos(System.nanoTime() - frozen);
                assertThat(detected).isGreaterThanOrEqualTo(THRESHOLD.minusMillis(600));
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).endsWith(":" + (i * 10));
                }
                assertThat(recorder.failures.values().stream().flatMap(List::stream).toList())
                        .hasSize(2).allMatch(t -> t instanceof WorkerLost && t.getMessage().contains("no heartbeat"));
                assertThat(recorder.finals).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
            } finally {
                ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
