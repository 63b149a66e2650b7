package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.providers.LocalProvider;

/** Parsl's simple strategy over LocalProvider blocks: out under load, in after maxIdleTime, none left after cleanup. */
class ElasticBlocksIT {

    @TempDir
    Path dir;

    @Test
    void loadStartsBlocksUpToMaxBlocksIdleBlocksStopAndCleanupLeavesNoWorkerProcess() throws Exception {
        Config config = Config.builder()
                .executor(ItSupport.executor("hz").maxWorkersPerNode(1)
                        .provider(LocalProvider.builder().initBlocks(0).minBlocks(0).maxBlocks(2).build()).build())
                .strategy("simple").strategyPeriod(Duration.ofMillis(200)).maxIdleTime(Duration.ofSeconds(2))
                .runDir(dir).build();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        DataFlowKernel dfk = Parsl.load(config);
        try (ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            HazelcastRunningExecutor hz = ItSupport.running(dfk, "hz");
            assertThat(hz.status().activeBlocks()).isZero();
            assertThat(hz.blockPids()).isEmpty();

            TaskFunction<Integer, Integer> slow = x -> {
                Thread.sleep(1_000);
                return x + 1;
            };
            List<AppFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(slow, i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                seen.addAll(hz.blockPids());
                return hz.status().activeBlocks() == 2;
            });
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
            assertThat(hz.status().activeBlocks()).isLessThanOrEqualTo(2);
            seen.addAll(hz.blockPids());
            assertThat(seen).hasSize(2);
            assertThat(hz.status().connectedWorkers()).isEqualTo(2);

            await().atMost(Duration.ofSeconds(15)).until(() -> hz.status().activeBlocks() == 0);
            assertThat(seen).noneMatch(ItSupport::alive);
            await().atMost(Duration.ofSeconds(10)).until(() -> hz.status().connectedWorkers() == 0);

            // load again: a new block starts for it
            assertThat(pool.submit(slow, 41).get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(42);
            seen.addAll(hz.blockPids());
            assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
        } finally {
            dfk.cleanup();
        }
        assertThat(seen).noneMatch(ItSupport::alive);
        assertThat(dir.toFile().listFiles()[0].list()).anyMatch(n -> n.endsWith(".log"));
    }
}
