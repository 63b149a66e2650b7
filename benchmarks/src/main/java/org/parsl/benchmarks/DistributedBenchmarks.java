package org.parsl.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.hazelcast.HazelcastExecutor;
import org.parsl.providers.LocalProvider;

/** Our distributed path: the Hazelcast executor with two locally launched worker JVMs. */
final class DistributedBenchmarks implements AutoCloseable {

    private final ParslPoolExecutor pool;

    DistributedBenchmarks(Path runDir) throws InterruptedException {
        Config config = Config.builder()
                .executor(HazelcastExecutor.builder("gpu")
                        .maxWorkersPerNode(2)
                        .prefetchCapacity(256)
                        .clusterName("bench-" + UUID.randomUUID())
                        .provider(LocalProvider.builder().initBlocks(2).minBlocks(2).maxBlocks(2)
                                .jvmOptions(workerJvmOptions()).build())
                        .build())
                .strategy("none")
                .runDir(runDir)
                .build();
        pool = new ParslPoolExecutor(config);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (workers() < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the two worker JVMs did not connect within 60 s: " + pool.dfk().executorStatuses());
            }
            Thread.sleep(20); // a harness waiting for processes to start, not a test
        }
    }

    /** {@code -Xmx512m}, plus {@code parsl.bench.workerJvmOptions} (space separated; e.g. a JFR recording to profile the workers). */
    private static List<String> workerJvmOptions() {
        List<String> options = new java.util.ArrayList<>(List.of("-Xmx512m"));
        String extra = System.getProperty("parsl.bench.workerJvmOptions", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return options;
    }

    private int workers() {
        ExecutorStatus s = pool.dfk().executorStatuses().get(0);
        return s.connectedWorkers();
    }

    double throughput(int n) throws Exception {
        TaskCallable<Integer> noop = () -> 1;
        return Rounds.steadyRate(n, DistributedBaseline.THROUGHPUT_WARM_UP, 10 * DistributedBaseline.THROUGHPUT_WARM_UP, size -> {
            AppFuture<Integer> last = null;
            for (int i = 0; i < size; i++) {
                last = pool.submit(noop);
            }
            pool.dfk().waitForCurrentTasks();
            last.get();
        });
    }

    /** Tasks with a 1 KB argument and a 1 KB result. */
    double throughput1k(int n) throws Exception {
        TaskFunction<byte[], byte[]> echo = data -> {
            byte[] out = new byte[data.length];
            out[0] = data[0];
            return out;
        };
        byte[] kb = new byte[1024];
        return Rounds.steadyRate(n, DistributedBaseline.THROUGHPUT_WARM_UP, 10 * DistributedBaseline.THROUGHPUT_WARM_UP, size -> {
            AppFuture<byte[]> last = null;
            for (int i = 0; i < size; i++) {
                last = pool.submit(echo, kb);
            }
            pool.dfk().waitForCurrentTasks();
            last.get();
        });
    }

    double[] latencies(int n) throws Exception {
        TaskCallable<Integer> noop = () -> 1;
        for (int i = 0; i < DistributedBaseline.LATENCY_WARM_UP; i++) {
            pool.submit(noop).get();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            pool.submit(noop).get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    double chain(int n) throws Exception {
        TaskFunction<Integer, Integer> inc = x -> x + 1;
        // Warm up with a shorter chain: a chain's own path (dependents launched as results arrive) is
        // JIT-compiled only after thousands of steps, which the sequential rows never run.
        AppFuture<Integer> warm = pool.submit(inc, 0);
        for (int i = 1; i < n / 5; i++) {
            warm = pool.submit(inc, warm);
        }
        warm.get();
        long t0 = System.nanoTime();
        AppFuture<Integer> last = pool.submit(inc, 0);
        for (int i = 1; i < n; i++) {
            last = pool.submit(inc, last);
        }
        int v = last.get();
        if (v != n) {
            throw new IllegalStateException("distributed chain computed " + v + ", expected " + n);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
