package org.parsl.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample end to end, as a newcomer runs it: the fat jar as a child JVM whose {@code gpu} executor
 * spawns worker JVMs (the same jar in worker mode; one at startup, a second when chunks wait). One test runs the demo and exits
 * ({@code --sample.exit-after-demo=true}); the other drives one job over real HTTP and reads
 * actuator. Both check that every Java process they caused is gone at the end.
 */
class SampleApplicationIT {

    private static final Duration STARTUP = Duration.ofMinutes(3);   // generous: 2 shared cores, 3 JVMs starting at once
    private static final Pattern WORKER_PIDS = Pattern.compile("demo: gpu worker JVMs \\(pids\\) \\[([0-9, ]+)]");

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoRunsOnWorkerJvmsAndExitsZeroLeavingNoProcessBehind() throws Exception {
        List<Long> workers;
        try (SampleProcess sample = SampleProcess.start("--sample.exit-after-demo=true")) {
            boolean exited = sample.process().waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS);
            assertThat(exited).as("exited after the demo:\n%s", sample.output()).isTrue();
            assertThat(sample.process().exitValue()).as("exit status; output:\n%s", sample.output()).isZero();
            String output = sample.output();
            assertThat(output).contains("demo: result: price").contains("agrees").contains("chunk(s) retried");
            workers = pids(sample.find(WORKER_PIDS).orElseThrow(() -> new AssertionError("no worker pids in:\n" + output)));
            assertThat(workers).isNotEmpty().doesNotContain(sample.pid());
            assertThat(sample.descendantPids()).as("the worker JVMs were started by the sample").containsAll(workers);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sample.anyAlive()).isFalse());
        }
        workers.forEach(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    }

    @Test
    void jobStartedOverHttpRunsOnWorkerJvmsAndActuatorShowsIt() throws Exception {
        try (SampleProcess sample = SampleProcess.start("--sample.demo.enabled=false")) {
            String base = "http://127.0.0.1:" + sample.awaitPort(STARTUP);

            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"samples\": 2000000, \"chunks\": 16}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String location = started.headers().firstValue("Location").orElseThrow();

            JsonNode done = await().atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(base + location), job -> !job.get("state").asString().equals("RUNNING"));
            assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            JsonNode result = done.get("result");
            assertThat(Math.abs(result.get("price").asDouble() - result.get("blackScholes").asDouble()))
                    .isLessThan(4 * result.get("standardError").asDouble());
            assertThat(result.get("retriedChunks").asInt()).isEqualTo(1);
            List<Long> workers = new ArrayList<>();
            result.get("workerPids").forEach(p -> workers.add(p.asLong()));
            assertThat(workers).isNotEmpty().doesNotContain(sample.pid());
            assertThat(sample.descendantPids()).containsAll(workers);
            assertThat(result.get("reducerPids").get(0).asLong()).isEqualTo(sample.pid());

            JsonNode completed = get(base + "/actuator/metrics/parsl.tasks.completed?tag=executor:gpu");
            assertThat(completed.at("/measurements/0/value").asDouble()).as(completed.toString())
                    .isEqualTo(16);                  // the job's 16 simulations (the retried one counts once)
            JsonNode reduced = get(base + "/actuator/metrics/parsl.tasks.completed?tag=executor:cpu");
            assertThat(reduced.at("/measurements/0/value").asDouble()).as(reduced.toString()).isEqualTo(16);
            JsonNode health = get(base + "/actuator/health/parsl");
            assertThat(health.get("status").asString()).as(health.toString()).isEqualTo("UP");
            assertThat(health.at("/components/cpu/status").asString()).as(health.toString()).isEqualTo("UP");
            JsonNode gpu = get(base + "/actuator/health/parsl/gpu");      // one contributor per executor
            assertThat(gpu.at("/status").asString()).as(gpu.toString()).isEqualTo("UP");
            assertThat(gpu.at("/details/type").asString()).as(gpu.toString()).isEqualTo("hazelcast");
            assertThat(gpu.at("/details/connectedWorkers").asInt()).as(gpu.toString()).isPositive();
            assertThat(get(base + "/actuator/parsl").toString()).contains("gpu").contains("cpu");
        }
    }

    @Test
    void onSigtermRemoteChunksInFlightCompleteDuringTheGracefulShutdown() throws Exception {
        SampleProcess sample = SampleProcess.start("--sample.demo.enabled=false", "--sample.inject-transient-failure=false");
        try {
            String base = "http://127.0.0.1:" + sample.awaitPort(STARTUP);
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"samples\": 60000000, \"chunks\": 4}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            // @Async("gpu") chunks are running in the worker JVMs
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base + "/actuator/health/parsl/gpu").at("/details/busySlots").asInt() > 0);
        } finally {
            sample.close(); // SIGTERM, then waits for the sample and its workers to be gone
        }
        String output = sample.output();
        assertThat(output).as(output).containsPattern("job \\d+ done in");
        assertThat(output).doesNotContain("failed after").doesNotContainPattern("[1-9]\\d* of its tasks failed with WorkerLost");
        assertThat(sample.process().exitValue()).as(output).isIn(0, 143);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static List<Long> pids(String list) {
        List<Long> pids = new ArrayList<>();
        for (String p : list.split(",")) {
            pids.add(Long.parseLong(p.trim()));
        }
        return pids;
    }
}
