package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.providers.LocalProvider;

class ThroughputIT {

    @TempDir
    Path dir;

    @Test
    void tenThousandTasksOverTwoWorkerJvmsAllReturnCorrectResultsAndBothWorkersDidWork() throws Exception {
        Config config = Config.builder()
                .executor(ItSupport.executor("hz").maxWorkersPerNode(2).prefetchCapacity(64)
                        .provider(LocalProvider.builder().initBlocks(2).maxBlocks(2).build()).build())
                .strategy("none").runDir(dir).build();
        TaskFunction<Integer, String> f = x -> WorkerContext.current().orElseThrow().workerId() + ":" + (x * 2);
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config)) {
            long t0 = System.nanoTime();
            pool.submit(f, 0).get(60, java.util.concurrent.TimeUnit.SECONDS);
            System.out.printf("first result after %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> pool.dfk().executorStatuses().get(0).connectedWorkers() == 2); // both take part in the burst
            t0 = System.nanoTime();
            List<AppFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                futures.add(pool.submit(f, i));
            }
            Set<String> workers = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                String r = futures.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                String[] parts = r.split(":");
                assertThat(Integer.parseInt(parts[1])).isEqualTo(i * 2);
                workers.add(parts[0]);
            }
            System.out.printf("10k tasks over two workers: %.0f ms %n", (System.nanoTime() - t0) / 1e6);
            assertThat(workers).hasSize(2);
        }
    }
}
