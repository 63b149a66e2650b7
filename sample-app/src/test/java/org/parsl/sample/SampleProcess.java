package org.parsl.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample's fat jar ({@code target/sample-app.jar}, built by {@code package} before the ITs run)
 * started as a child JVM, the way a newcomer runs it — on loopback, on a free HTTP port, in a
 * Hazelcast cluster of its own. Remembers every process it saw under it, and {@link #close()}
 * stops them all, even when a test failed.
 */
final class SampleProcess implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
    private final Thread pump;

    private SampleProcess(Process process) {
        this.process = process;
        this.pump = new Thread(this::pump, "sample-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts the jar with the test defaults plus {@code args}. */
    static SampleProcess start(String... args) throws IOException {
        Path jar = Path.of("target", "sample-app.jar").toAbsolutePath();
        assertThat(jar).as("the fat jar, built by 'package' before the ITs").exists();
        Path workDir = Files.createDirectories(Path.of("target", "it-runs", UUID.randomUUID().toString()));
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=0", "--server.address=127.0.0.1",
                "--parsl.hazelcast.cluster-name=sample-it-" + UUID.randomUUID(),
                "--parsl.hazelcast.interface=127.0.0.1"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        return new SampleProcess(process);
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** What the process printed so far. */
    String output() {
        return String.join("\n", output);
    }

    /** The HTTP port, once Tomcat has started. */
    int awaitPort(Duration timeout) {
        return await().atMost(timeout).until(() -> find(PORT), Optional::isPresent).map(Integer::parseInt).orElseThrow();
    }

    /** The first group of the first output line matching {@code pattern}, if any. */
    Optional<String> find(Pattern pattern) {
        for (String line : output) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** Process ids of the JVMs started under the sample (its worker JVMs) seen so far. */
    Set<Long> descendantPids() {
        recordDescendants();
        Set<Long> pids = new TreeSet<>();
        seen.forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /** Whether any process ever seen under the sample (or the sample itself) is still alive. */
    boolean anyAlive() {
        return process.isAlive() || seen.stream().anyMatch(ProcessHandle::isAlive);
    }

    void recordDescendants() {
        process.descendants().forEach(seen::add);
    }

    /** Asks the sample to stop (SIGTERM: graceful shutdown), then kills whatever is left. */
    @Override
    public void close() {
        recordDescendants();
        process.toHandle().destroy(); // SIGTERM; unlike Process.destroy() it leaves the output stream open for the last lines
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !anyAlive());
        } catch (RuntimeException e) {
            seen.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the sample or its workers did not stop within 30 s of SIGTERM; killed: "
                    + descendantPids() + "\n" + output(), e);
        }
        try {
            pump.join(10_000); // the last lines may still be in the pipe: read them before output() is asked
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                System.out.println("[sample " + process.pid() + "] " + line);
                recordDescendants();
            }
        } catch (IOException e) {
            output.add("(output closed: " + e + ")");
        }
    }
}
