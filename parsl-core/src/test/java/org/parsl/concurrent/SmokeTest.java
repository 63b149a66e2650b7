package org.parsl.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.TaskFunction;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.executors.ThreadPoolExecutor;

class SmokeTest {
    @TempDir Path dir;

    @Test
    void chainAndMap() throws Exception {
        Config config = Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(dir).build();
        TaskFunction<Integer, Integer> f = x -> x + 1;
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config)) {
            AppFuture<Integer> one = pool.submit(f, 1);
            AppFuture<Integer> two = pool.submit(f, one);
            assertThat(two.get()).isEqualTo(3);
            assertThat(pool.map(f, List.of(1, 2, 3)).toList()).containsExactly(2, 3, 4);
            long t0 = System.nanoTime();
            AppFuture<Integer> last = pool.submit(f, 0);
            for (int i = 0; i < 100_000; i++) last = pool.submit(f, last);
            assertThat(last.get()).isEqualTo(100_001);
            System.out.println("chain 100k ms " + (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            AppFuture<Integer> x = null;
            for (int i = 0; i < 1_000_000; i++) x = pool.submit(f, i);
            pool.dfk().waitForCurrentTasks();
            System.out.println("1M ms " + (System.nanoTime() - t0) / 1e6 + " " + pool.dfk().taskStateCounts());
        }
    }
}
