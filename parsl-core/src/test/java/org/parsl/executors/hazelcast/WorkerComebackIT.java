package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.providers.LocalProvider;

/** Issue 11: a worker declared lost (SIGSTOP past the heartbeat threshold) that comes back (SIGCONT) is taken back. */
class WorkerComebackIT {

    private static final Duration THRESHOLD = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void aWorkerLostWhileStoppedIsTakenBackAfterSigcontAndHundredTasksSucceedOnBothWorkers() throws Exception {
        WorkerLossIT.Recorder recorder = new WorkerLossIT.Recorder();
        Config config = Config.builder()
                .executor(ItSupport.executor("hz").maxWorkersPerNode(1).prefetchCapacity(0)
                        .heartbeatPeriod(Duration.ofMillis(500)).heartbeatThreshold(THRESHOLD)
                        .provider(LocalProvider.builder().initBlocks(2).maxBlocks(2).build()).build())
                .strategy("none").retries(1).runDir(dir).build();
        try (DataFlowKernel dfk = Parsl.load(config); ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            dfk.addListener(recorder);
            await().atMost(Duration.ofSeconds(90)).until(() -> dfk.executorStatuses().get(0).connectedWorkers() == 2);
            TaskFunction<Integer, String> slow = x -> {
                Thread.sleep(1_500);
                return WorkerContext.current().orElseThrow().workerId() + ":" + x;
            };
            List<AppFuture<String>> before = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                before.add(pool.submit(slow, i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> before.stream().allMatch(f -> f.state() == TaskState.RUNNING));
            long victim = ItSupport.blockPids(dfk, "hz").get(0);
            try {
                assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(victim)).start().waitFor()).isZero();
                await().atMost(THRESHOLD.plusSeconds(5)).until(() -> dfk.executorStatuses().get(0).connectedWorkers() == 1);
                for (int i = 0; i < before.size(); i++) {
                    assertThat(before.get(i).get(60, TimeUnit.SECONDS)).endsWith(":" + i); // the lost one's try re-ran elsewhere
                }
                assertThat(new ProcessBuilder("kill", "-CONT", Long.toString(victim)).start().waitFor()).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> dfk.executorStatuses().get(0).connectedWorkers() == 2);

                TaskFunction<Integer, String> quick = x -> {
                    Thread.sleep(20);
                    return WorkerContext.current().orElseThrow().workerId() + ":" + (x * 3);
                };
                List<AppFuture<String>> after = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    after.add(pool.submit(quick, i));
                }
                Set<String> workers = new HashSet<>();
                for (int i = 0; i < after.size(); i++) {
                    String r = after.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(r).endsWith(":" + (i * 3));
                    workers.add(r.substring(0, r.lastIndexOf(':')));
                }
                assertThat(workers).hasSizeGreaterThanOrEqualTo(2);
                assertThat(after).allMatch(f -> !recorder.failures.containsKey(f.taskId()));
                assertThat(dfk.executorStatuses().get(0).connectedWorkers()).isEqualTo(2);
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(victim)).start().waitFor();
            }
        }
    }
}
