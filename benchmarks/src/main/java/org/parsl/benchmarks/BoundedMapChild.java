package org.parsl.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;

/**
 * Runs n tasks through a bounded {@code map} and prints "tasks seconds heapPeakBytes". Started by the
 * harness in its own JVM with {@code -Xmx256m}.
 */
public final class BoundedMapChild {

    private BoundedMapChild() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        TaskFunction<Integer, Integer> inc = x -> x + 1;
        long t0 = System.nanoTime();
        long sum;
        try (ParslPoolExecutor pool = new ParslPoolExecutor(LocalBenchmarks.config(Files.createTempDirectory("parsl-bench")));
             Stream<Integer> results = pool.map(inc, () -> IntStream.range(0, n).iterator(), 1024)) {
            sum = results.mapToLong(Integer::longValue).sum();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long expected = (long) n * (n + 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("sum " + sum + " != " + expected);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(n + " " + seconds + " " + peak);
    }
}
