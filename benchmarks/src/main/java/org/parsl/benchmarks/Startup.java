package org.parsl.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Startup: the sample from process start to its first gpu result, vs a default three-member Hazelcast cluster forming. */
final class Startup {

    private Startup() {
    }

    /**
     * Seconds from launching the sample's fat jar until its demo (two small chunks on gpu workers)
     * reported its result, which comes right after the first gpu result.
     */
    static double sample(Path jar) throws IOException, InterruptedException {
        return sample(jar, List.of(), List.of());
    }

    /**
     * The same, started as {@code ./run-sample} starts it: the extracted jar with its class data sharing
     * archives ({@code sample-app/target/run}, which {@code ./run-sample --prepare-only} records): the
     * service's, and the workers' when there is one.
     */
    static double sampleWithArchive(Path runDir) throws IOException, InterruptedException {
        Path workerArchive = runDir.resolve("worker.jsa");
        return sample(runDir.resolve("sample-app.jar"), List.of("-XX:SharedArchiveFile=" + runDir.resolve("app.jsa"),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"),
                Files.isRegularFile(workerArchive)
                        ? List.of("--sample.worker-archive-option=-XX:SharedArchiveFile=" + workerArchive) : List.of());
    }

    private static double sample(Path jar, List<String> jvmOptions, List<String> arguments) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar", jar.toString(), "--sample.exit-after-demo=true", "--server.port=0",
                "--sample.demo.samples=20000", "--sample.demo.chunks=2", "--sample.inject-transient-failure=false",
                "--parsl.hazelcast.cluster-name=startup-" + UUID.randomUUID(),
                "--parsl.run-dir=" + Files.createTempDirectory("parsl-startup")));
        command.addAll(arguments);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        double seconds = -1;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (seconds < 0 && line.contains("demo: gpu worker JVMs")) {
                    seconds = (System.nanoTime() - t0) / 1e9;
                }
                tail.append(line).append('\n');
                if (tail.length() > 8000) {
                    tail.delete(0, tail.length() - 8000);
                }
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        if (seconds < 0 || p.exitValue() != 0) {
            throw new IllegalStateException("the sample did not report a gpu result (exit " + p.exitValue() + "):\n" + tail);
        }
        return seconds;
    }

    /** Seconds until three member JVMs with Hazelcast's default join timing have all joined one cluster. */
    static double defaultThreeMemberCluster() throws Exception {
        String cluster = "startup-" + UUID.randomUUID();
        int port = HazelcastMembers.freePortBase();
        StringBuilder list = new StringBuilder();
        for (int p = port; p < port + 3; p++) {
            list.append(list.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        try (HazelcastMembers.Children children = new HazelcastMembers.Children()) {
            long t0 = System.nanoTime();
            List<Process> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                members.add(children.launch(cluster, port, list.toString(), "default"));
            }
            for (Process m : members) {
                children.awaitReady(m);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
