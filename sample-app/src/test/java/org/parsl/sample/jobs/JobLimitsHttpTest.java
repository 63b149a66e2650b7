package org.parsl.sample.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.parsl.sample.SampleApplication;
import org.parsl.sample.pricing.Chunk;
import org.parsl.sample.pricing.ChunkResult;
import org.parsl.sample.pricing.PathSimulator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.scheduling.annotation.Async;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API's limits over real HTTP: where it listens, the work one request may ask for (400), and
 * how many jobs may run at once (429), each refusal a problem detail naming the limit and its
 * property. Jobs are held running by a simulator the test releases, so "running" is not a race.
 */
@SpringBootTest(classes = {SampleApplication.class, JobLimitsHttpTest.HeldSimulations.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"parsl.executors.gpu.type=thread-pool", "parsl.executors.gpu.max-threads=2",
                "sample.demo.enabled=false", "parsl.run-dir=target/runinfo", "sample.limits.max-running-jobs=1",
                "sample.limits.max-samples=100000", "sample.limits.max-chunks=8"})
class JobLimitsHttpTest {

    private static final String SMALL_JOB = "{\"samples\": 1000, \"chunks\": 2}";

    @LocalServerPort
    int port;

    @Value("${server.address}")
    String serverAddress;

    @Autowired
    JsonMapper json;

    @Autowired
    HeldSimulator simulator;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void letEveryJobFinish() {
        simulator.release();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(
                () -> json.readTree(get("/jobs").body()).valueStream().noneMatch(j -> j.get("state").asString().equals("RUNNING")));
    }

    @Test
    void theApiListensOnLoopbackOnlyByDefault() throws Exception {
        assertThat(serverAddress).isEqualTo("127.0.0.1");
        assertThat(get("/jobs").statusCode()).isEqualTo(200);
        Optional<InetAddress> other = nonLoopbackAddress();
        Assumptions.assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket socket = new Socket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other.get(), port), 5000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void oneJobMoreThanMaxRunningJobsIsRefusedWith429NamingTheLimitAndItsProperty() throws Exception {
        simulator.hold();
        HttpResponse<String> first = post("/jobs", SMALL_JOB);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);

        HttpResponse<String> second = post("/jobs", SMALL_JOB);

        assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
        assertThat(second.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(second.body());
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("title").asString()).isEqualTo("Too many running jobs");
        assertThat(problem.get("type").asString()).isEqualTo("urn:parsl-sample:too-many-running-jobs");
        assertThat(problem.get("detail").asString()).isEqualTo(
                "1 job is running, the most sample.limits.max-running-jobs allows; try again when one has finished (GET /jobs lists them)");
        assertThat(problem.get("limit").asInt()).isEqualTo(1);
        assertThat(problem.get("property").asString()).isEqualTo("sample.limits.max-running-jobs");

        simulator.release();
        awaitDone(json.readTree(first.body()).get("id").asLong());
        HttpResponse<String> third = post("/jobs", SMALL_JOB);
        assertThat(third.statusCode()).as("a finished job gives its place back: " + third.body()).isEqualTo(202);
        assertThat(awaitDone(json.readTree(third.body()).get("id").asLong()).get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void tooManySamplesAreABadRequestNamingTheLimitAndItsProperty() throws Exception {
        HttpResponse<String> response = post("/jobs", "{\"samples\": 100001, \"chunks\": 2}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("title").asString()).isEqualTo("Job too large");
        assertThat(problem.get("type").asString()).isEqualTo("urn:parsl-sample:job-too-large");
        assertThat(problem.get("detail").asString()).isEqualTo("samples must be at most 100000 (sample.limits.max-samples), got 100001");
        assertThat(problem.get("field").asString()).isEqualTo("samples");
        assertThat(problem.get("rejectedValue").asLong()).isEqualTo(100001);
        assertThat(problem.get("limit").asLong()).isEqualTo(100000);
        assertThat(problem.get("property").asString()).isEqualTo("sample.limits.max-samples");
    }

    @Test
    void tooManyChunksAreABadRequestNamingTheLimitAndItsProperty() throws Exception {
        HttpResponse<String> response = post("/jobs", "{\"samples\": 1000, \"chunks\": 9}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("detail").asString()).isEqualTo("chunks must be at most 8 (sample.limits.max-chunks), got 9");
        assertThat(problem.get("field").asString()).isEqualTo("chunks");
        assertThat(problem.get("limit").asInt()).isEqualTo(8);
        assertThat(problem.get("property").asString()).isEqualTo("sample.limits.max-chunks");
    }

    @Test
    void aRefusedRequestTakesNoRunningJobPlace() throws Exception {
        simulator.hold();
        assertThat(post("/jobs", "{\"samples\": 100001}").statusCode()).isEqualTo(400);
        assertThat(post("/jobs", "{\"samples\": -1}").statusCode()).isEqualTo(400);
        HttpResponse<String> accepted = post("/jobs", SMALL_JOB);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(post("/jobs", "{\"samples\": 100001}").statusCode())
                .as("a request over a limit is a 400 even when no place is free").isEqualTo(400);
    }

    private JsonNode awaitDone(long id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> json.readTree(get("/jobs/" + id).body()), node -> !node.get("state").asString().equals("RUNNING"));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    @TestConfiguration
    static class HeldSimulations {
        @Bean
        @Primary
        HeldSimulator heldSimulator() {
            return new HeldSimulator();
        }
    }

    /** The sample's simulator, whose chunks wait while the test holds them. */
    static class HeldSimulator extends PathSimulator {
        private volatile CountDownLatch gate = new CountDownLatch(0);

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        @Async("gpu")
        public CompletableFuture<ChunkResult> simulate(Chunk chunk) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
            return super.simulate(chunk);
        }
    }
}
