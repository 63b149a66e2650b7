package org.parsl.sample.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.parsl.sample.SampleApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API over real HTTP, in this JVM: {@code gpu} is a thread pool here (the IT runs it on real
 * worker JVMs), so these tests check the API itself — the job's flow, retries, and the 4xx answers.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"parsl.executors.gpu.type=thread-pool", "parsl.executors.gpu.max-threads=2",
                "sample.demo.enabled=false", "sample.limits.max-samples=50000000", "parsl.run-dir=target/runinfo"})
class JobsHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void jobStartedOverRestCompletesWithTheBlackScholesPriceAfterRetryingOneChunk() throws Exception {
        HttpResponse<String> started = post("/jobs", "{\"samples\": 400000, \"chunks\": 8, \"seed\": 7}");
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode job = json.readTree(started.body());
        long id = job.get("id").asLong();
        assertThat(started.headers().firstValue("Location")).hasValue("/jobs/" + id);
        assertThat(job.at("/progress/total").asInt()).isEqualTo(8);

        JsonNode done = awaitDone(id);
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.at("/progress/completed").asInt()).isEqualTo(8);
        JsonNode result = done.get("result");
        double price = result.get("price").asDouble();
        double se = result.get("standardError").asDouble();
        assertThat(Math.abs(price - result.get("blackScholes").asDouble())).isLessThan(4 * se);
        assertThat(result.get("retriedChunks").asInt()).isEqualTo(1);
    }

    @Test
    void actuatorShowsParslHealthMetricsAndEndpoint() throws Exception {
        long id = json.readTree(post("/jobs", "{\"samples\": 10000, \"chunks\": 4}").body()).get("id").asLong();
        awaitDone(id);
        HttpResponse<String> health = get("/actuator/health/parsl");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
        HttpResponse<String> completed = get("/actuator/metrics/parsl.tasks.completed?tag=executor:gpu");
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(json.readTree(completed.body()).at("/measurements/0/value").asDouble()).isGreaterThanOrEqualTo(4);
        HttpResponse<String> parsl = get("/actuator/parsl");
        assertThat(parsl.statusCode()).as(parsl.body()).isEqualTo(200);
        assertThat(parsl.body()).contains("gpu").contains("cpu");
    }

    @Test
    void sameRequestGivesTheSamePrice() throws Exception {
        String body = "{\"samples\": 100000, \"chunks\": 4, \"seed\": 11}";
        long first = json.readTree(post("/jobs", body).body()).get("id").asLong();
        long second = json.readTree(post("/jobs", body).body()).get("id").asLong();
        assertThat(awaitDone(second).at("/result/price").asDouble())
                .isEqualTo(awaitDone(first).at("/result/price").asDouble());
    }

    @Test
    void emptyRequestStartsAJobWithTheDefaults() throws Exception {
        HttpResponse<String> started = post("/jobs", "{}");
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode job = json.readTree(started.body());
        assertThat(job.get("samples").asLong()).isEqualTo(2_000_000);
        assertThat(job.get("chunks").asInt()).isEqualTo(16);
        assertThat(awaitDone(job.get("id").asLong()).get("state").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void negativeSamplesAreABadRequestNamingTheField() throws Exception {
        HttpResponse<String> response = post("/jobs", "{\"samples\": -1, \"chunks\": 4}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("detail").asString()).isEqualTo("samples must be positive, got -1");
        assertThat(problem.get("field").asString()).isEqualTo("samples");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
    }

    @Test
    void zeroChunksAreABadRequest() throws Exception {
        HttpResponse<String> response = post("/jobs", "{\"samples\": 1000, \"chunks\": 0}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("detail").asString()).isEqualTo("chunks must be positive, got 0");
    }

    @Test
    void tooManySamplesAreABadRequestNamingTheLimit() throws Exception {
        HttpResponse<String> response = post("/jobs", "{\"samples\": 60000000}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("detail").asString())
                .isEqualTo("samples must be at most 50000000 (sample.limits.max-samples), got 60000000");
    }

    @Test
    void unreadableJsonIsABadRequestProblem() throws Exception {
        HttpResponse<String> response = post("/jobs", "{\"samples\": \"many\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void unknownJobIsNotFound() throws Exception {
        HttpResponse<String> response = get("/jobs/999999");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("detail").asString()).startsWith("no job with id 999999");
        assertThat(problem.get("id").asLong()).isEqualTo(999999);
    }

    @Test
    void jobIdThatIsNotANumberIsABadRequest() throws Exception {
        assertThat(get("/jobs/abc").statusCode()).isEqualTo(400);
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
}
