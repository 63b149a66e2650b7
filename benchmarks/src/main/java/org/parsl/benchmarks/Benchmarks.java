package org.parsl.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark harness: runs every benchmark (a tenth of the size with {@code --quick}), prints a
 * table, and writes one JSON line per benchmark to {@code benchmarks/target/results.jsonl}
 * ({@code --local}: only the local rows; {@code --startup}: only the startup rows; {@code --distributed}:
 * no local or startup rows).
 * Each benchmark measures us and its baseline in the same run.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println("usage: Benchmarks [--quick] [--local | --startup | --distributed]\n"
                    + "  --quick        a tenth of the tasks per row\n"
                    + "  --local        only the local rows (local-throughput, local-chain, bounded-map-heap-peak)\n"
                    + "  --startup      only the startup rows (sample-startup, sample-startup-plain-jar)\n"
                    + "  --distributed  only the distributed rows (no local rows, no sample-startup)");
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        int scale = quick ? 10 : 1;
        Path out = Path.of(System.getProperty("parsl.bench.out", "benchmarks/target/results.jsonl"));
        Files.createDirectories(out.getParent());
        Path runDir = LocalBenchmarks.tempRunDir();
        List<Result> results = new ArrayList<>();

        boolean distributedOnly = List.of(args).contains("--distributed");
        boolean startupOnly = List.of(args).contains("--startup");
        boolean localOnly = List.of(args).contains("--local");
        if ((distributedOnly ? 1 : 0) + (startupOnly ? 1 : 0) + (localOnly ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--local, --startup and --distributed exclude each other: give one, or none for every row");
        }
        if (!distributedOnly && !startupOnly) {
            results.add(LocalBenchmarks.throughput(1_000_000 / scale, runDir));
            print(results.get(results.size() - 1));
            results.add(LocalBenchmarks.chain(100_000 / scale, runDir));
            print(results.get(results.size() - 1));
            results.add(boundedMap(1_000_000 / scale));
            print(results.get(results.size() - 1));
        }

        if (!startupOnly && !localOnly) {
            distributed(results, scale, runDir);
        }

        Path jar = Path.of(System.getProperty("parsl.bench.sampleJar", "sample-app/target/sample-app.jar"));
        if (distributedOnly || localOnly) {
            System.out.println("sample-startup skipped (" + (localOnly ? "--local" : "--distributed") + ")");
        } else if (Files.isRegularFile(jar)) {
            double cluster = Startup.defaultThreeMemberCluster();
            Path archive = Path.of(System.getProperty("parsl.bench.sampleRun", "sample-app/target/run"));
            if (Files.isRegularFile(archive.resolve("app.jsa"))) {
                add(results, Result.lowerIsBetter("sample-startup", Startup.sampleWithArchive(archive), cluster, "s",
                        "3 Hazelcast members forming a cluster with default join settings",
                        "./run-sample's start (extracted jar + class data sharing archive) to the first gpu result; target <= 5 s"));
            }
            add(results, Result.lowerIsBetter("sample-startup-plain-jar", Startup.sample(jar), cluster, "s",
                    "3 Hazelcast members forming a cluster with default join settings",
                    "java -jar sample-app.jar to the first gpu result"));
        } else {
            System.out.println("sample-startup skipped: no " + jar + " (build it with mvn -pl sample-app -am package)");
        }

        List<String> lines = new ArrayList<>();
        results.forEach(r -> lines.add(r.json()));
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table(results));
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The distributed rows: ours against Hazelcast's IExecutorService, in the same run. */
    private static void distributed(List<Result> results, int scale, Path runDir) throws Exception {
        int tasks = 100_000 / scale;
        int sequential = 2_000;
        double baseRate;
        double baseRate1k;
        double[] baseMs;
        try (DistributedBaseline hz = new DistributedBaseline()) {
            baseRate = hz.throughput(tasks);
            baseRate1k = hz.throughput1k(tasks);
            baseMs = hz.latencies(sequential);
        }
        double ourRate;
        double ourRate1k;
        double[] ourMs;
        double ourChain;
        try (DistributedBenchmarks ours = new DistributedBenchmarks(runDir)) {
            ourRate = ours.throughput(tasks);
            ourRate1k = ours.throughput1k(tasks);
            ourMs = ours.latencies(sequential);
            ourChain = ours.chain(100_000 / scale);
        }
        add(results, Result.higherIsBetter("distributed-throughput", ourRate, baseRate, "tasks/s",
                "Hazelcast IExecutorService, 2 member JVMs", tasks + " no-op tasks over 2 worker JVMs; target ratio >= 1.0"));
        add(results, Result.higherIsBetter("distributed-throughput-1k", ourRate1k, baseRate1k, "tasks/s",
                "Hazelcast IExecutorService, 2 member JVMs", tasks + " tasks with a 1 KB argument and a 1 KB result; target ratio >= 1.0"));
        add(results, Result.lowerIsBetter("distributed-latency-p50", DistributedBaseline.percentile(ourMs, 50),
                DistributedBaseline.percentile(baseMs, 50), "ms", "Hazelcast IExecutorService",
                sequential + " sequential tasks; target <= 0.4 ms and <= 1.5x the baseline"));
        add(results, Result.lowerIsBetter("distributed-latency-p99", DistributedBaseline.percentile(ourMs, 99),
                DistributedBaseline.percentile(baseMs, 99), "ms", "Hazelcast IExecutorService",
                sequential + " sequential tasks; target <= 3 ms"));
        double baseChain = sequential / java.util.Arrays.stream(baseMs).sum() * 1000;
        add(results, Result.higherIsBetter("distributed-chain", ourChain, baseChain, "tasks/s",
                "Hazelcast IExecutorService, sequential submit+get", (100_000 / scale) + " dependent tasks; target >= 4,000 tasks/s (Parsl 500-860)"));

    }

    /** n tasks through bounded map in a child JVM with -Xmx256m; baseline: the heap limit. */
    private static Result boundedMap(int n) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BoundedMapChild.class.getName(), Integer.toString(n)).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null) {
            throw new IllegalStateException("bounded map child failed: " + last);
        }
        String[] parts = last.trim().split(" ");
        double seconds = Double.parseDouble(parts[1]);
        double peakMb = Long.parseLong(parts[2]) / 1048576.0;
        return Result.lowerIsBetter("bounded-map-heap-peak", peakMb, 256, "MiB",
                "-Xmx256m heap limit", String.format(Locale.ROOT, "%d tasks in %.1f s (%.0f tasks/s), maxInFlight 1024, finished",
                        n, seconds, n / seconds));
    }

    private static void add(List<Result> results, Result r) {
        results.add(r);
        print(r);
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-28s ours %,14.2f  baseline %,14.2f  ratio %6.2f  %s%n",
                r.bench(), r.ours(), r.baseline(), r.ratio(), r.unit());
    }

    static String table(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append("| benchmark | ours | baseline | ratio (>1 = better) | unit | baseline is | notes |\n");
        b.append("|---|---:|---:|---:|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %,.2f | %,.2f | %.2f | %s | %s | %s |%n",
                    r.bench(), r.ours(), r.baseline(), r.ratio(), r.unit(), r.baselineName(), r.note()));
        }
        return b.toString();
    }
}
