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
import org.parsl.providers.LocalProvider;

/** 5,000 tasks while four worker JVMs are killed one after another: every task completes exactly once, with its value. */
class RepeatedWorkerKillsIT {

    @TempDir
    Path dir;

    private static final TaskFunction<Integer, Integer> SQUARE = x -> {
        Thread.sleep(20); // 5,000 of them keep 4 slots busy for about 25 s: time for four kills
        return x * x;
    };

    @Test
    void fiveThousandTasksWithFourKillsOfWorkersAmongThemAllCompleteExactlyOnceWithTheRightValues() throws Exception {
        Config config = Config.builder()
                .executor(ItSupport.executor("hz").maxWorkersPerNode(2).prefetchCapacity(8)
                        .heartbeatPeriod(Duration.ofMillis(500)).heartbeatThreshold(Duration.ofSeconds(3))
                        .provider(LocalProvider.builder().initBlocks(2).minBlocks(2).maxBlocks(2).build()).build())
                .strategy("none").retries(8).runDir(dir).build();
        WorkerLossIT.Recorder recorder = new WorkerLossIT.Recorder();
        Set<Long> killed = new HashSet<>();
        try (DataFlowKernel dfk = Parsl.load(config); ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            dfk.addListener(recorder);
            await().atMost(Duration.ofSeconds(120)).until(() -> dfk.executorStatuses().get(0).connectedWorkers() == 2);
            List<AppFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                futures.add(pool.submit(SQUARE, i));
            }
            for (int kill = 0; kill < 4; kill++) {
                // wait until tasks are running on a worker we have not killed yet, then kill it
                await().atMost(Duration.ofSeconds(120)).until(() -> ItSupport.blockPids(dfk, "hz").stream()
                        .anyMatch(p -> !killed.contains(p)) && dfk.executorStatuses().get(0).busySlots() > 0);
                long victim = ItSupport.blockPids(dfk, "hz").stream().filter(p -> !killed.contains(p)).findFirst().orElseThrow();
                killed.add(victim);
                ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                await().atMost(Duration.ofSeconds(30)).until(() -> !ItSupport.alive(victim));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(300, TimeUnit.SECONDS)).isEqualTo(i * i);
            }
            dfk.waitForCurrentTasks();
            assertThat(recorder.finals).hasSize(5_000);
            assertThat(recorder.finals.values()).allMatch(n -> n.get() == 1);
            assertThat(recorder.failures.values().stream().flatMap(List::stream))
                    .as("the only failed tries are those of killed workers").allMatch(f -> f instanceof WorkerLost);
        }
        assertThat(killed).hasSize(4);
    }
}
