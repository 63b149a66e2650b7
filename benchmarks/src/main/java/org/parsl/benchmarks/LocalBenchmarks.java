package org.parsl.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.executors.ThreadPoolExecutor;

/** Benchmarks of the local path: the DFK and pool on a thread-pool executor, against the JDK. */
final class LocalBenchmarks {

    private LocalBenchmarks() {
    }

    static Config config(Path runDir) {
        return Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(runDir).build();
    }

    /**
     * n no-op tasks through ParslPoolExecutor (2 threads) vs a raw JDK ThreadPoolExecutor (2 threads),
     * each warmed up with a whole round first: with 100,000 tasks the JIT was still compiling the
     * submit path (hundreds of milliseconds per method, seen in JFR) during the measured rounds.
     */
    static Result throughput(int n, Path runDir) throws Exception {
        TaskCallable<Integer> noop = () -> 1;
        double ours = Rounds.bestRate(n, n, size -> {
            try (ParslPoolExecutor pool = new ParslPoolExecutor(config(runDir))) {
                AppFuture<Integer> last = null;
                for (int i = 0; i < size; i++) {
                    last = pool.submit(noop);
                }
                pool.dfk().waitForCurrentTasks();
                last.get();
            }
        });
        double raw = Rounds.bestRate(n, n, size -> {
            ExecutorService jdk = jdkPool();
            try {
                Future<Integer> last = null;
                for (int i = 0; i < size; i++) {
                    last = jdk.submit(noop);
                }
                jdk.shutdown();
                jdk.awaitTermination(1, TimeUnit.HOURS);
                last.get();
            } finally {
                jdk.shutdownNow();
            }
        });
        return Result.higherIsBetter("local-throughput", ours, raw, "tasks/s", "JDK ThreadPoolExecutor(2)",
                n + " no-op tasks, 2 threads; target ratio >= 0.25");
    }

    /** A chain of n dependent tasks (each takes the previous future) vs a CompletableFuture chain on a JDK pool. */
    static Result chain(int n, Path runDir) throws Exception {
        TaskFunction<Integer, Integer> inc = x -> x + 1;
        double ours = Rounds.bestRate(n, 20_000, size -> {
            try (ParslPoolExecutor pool = new ParslPoolExecutor(config(runDir))) {
                AppFuture<Integer> last = pool.submit(inc, 0);
                for (int i = 1; i < size; i++) {
                    last = pool.submit(inc, last);
                }
                int v = last.get();
                if (v != size) {
                    throw new IllegalStateException("chain computed " + v + ", expected " + size);
                }
            }
        });
        double raw = Rounds.bestRate(n, 20_000, size -> {
            ExecutorService jdk = jdkPool();
            try {
                CompletableFuture<Integer> last = CompletableFuture.supplyAsync(() -> 1, jdk);
                for (int i = 1; i < size; i++) {
                    last = last.thenApplyAsync(x -> x + 1, jdk);
                }
                last.get();
            } finally {
                jdk.shutdownNow();
            }
        });
        return Result.higherIsBetter("local-chain", ours, raw, "tasks/s", "CompletableFuture.thenApplyAsync chain, JDK pool(2)",
                n + " dependent tasks; target >= 50,000 tasks/s (Parsl ~5,200)");
    }

    private static ExecutorService jdkPool() {
        return new java.util.concurrent.ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    static Path tempRunDir() throws Exception {
        return Files.createTempDirectory("parsl-bench");
    }
}
