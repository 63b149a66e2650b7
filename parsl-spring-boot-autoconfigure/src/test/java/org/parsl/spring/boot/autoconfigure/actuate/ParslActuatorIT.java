package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.parsl.app.App;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The three observability URLs over real HTTP, after running tasks of which some fail, on a
 * thread-pool executor ({@code cpu}) and a Hazelcast executor ({@code gpu}) whose local provider
 * relaunches {@link ObservabilityApplication} as a worker JVM.
 */
@SpringBootTest(classes = ObservabilityApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1",
    "management.endpoints.web.exposure.include=health,metrics,parsl",
    "management.endpoint.health.show-details=always",
    "parsl.monitoring.json-lines=true",
    "parsl.run-dir=target/runinfo-actuator-it",
    "parsl.retries=1",
    "parsl.executors.cpu.type=thread-pool",
    "parsl.executors.cpu.max-threads=2",
    "parsl.executors.gpu.type=hazelcast",
    "parsl.executors.gpu.max-workers-per-node=2",
    "parsl.executors.gpu.provider.type=local",
    "parsl.executors.gpu.provider.init-blocks=1",
    "parsl.executors.gpu.provider.min-blocks=1",
    "parsl.executors.gpu.provider.max-blocks=1",
    "parsl.executors.gpu.provider.jvm-options=-Xmx256m,-Dapp.db.password=hunter2",
    "parsl.hazelcast.interface=127.0.0.1"
})
@DirtiesContext // stops the worker JVM and the Hazelcast member after this class
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the counts of the first test are exact
class ParslActuatorIT {

    @DynamicPropertySource
    static void uniqueCluster(DynamicPropertyRegistry registry) {
        registry.add("parsl.hazelcast.cluster-name", () -> "parsl-actuator-it-" + UUID.randomUUID());
        registry.add("parsl.hazelcast.port", ParslActuatorIT::freePort);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    DataFlowKernel dfk;

    private static void quietly(AppFuture<?> f) throws InterruptedException {
        try {
            f.get(180, TimeUnit.SECONDS); // the first gpu task waits for the worker JVM to start
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // failures are part of what is counted
        }
    }

    @Test
    @Order(1)
    void healthMetricsAndTheParslEndpointShowWhatRan() throws Exception {
        App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
        App<Integer> fail = App.of(dfk, (Integer x) -> {
            throw new IllegalStateException("no good: " + x);
        });
        List<AppFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(inc.onExecutors("cpu").call(i));
        }
        for (int i = 0; i < 4; i++) {
            all.add(inc.onExecutors("gpu").call(i));
        }
        AppFuture<Integer> failed = fail.onExecutors("cpu").call(1);
        all.add(failed);
        AppFuture<Integer> remoteFailed = fail.onExecutors("gpu").call(2);
        all.add(remoteFailed);
        all.add(fail.onExecutors("gpu").call(3));
        AppFuture<Integer> depFail = inc.onExecutors("cpu").call(failed);
        all.add(depFail);
        for (AppFuture<?> f : all) {
            quietly(f);
        }

        HttpJson http = new HttpJson(port);

        HttpJson.Response health = http.get("/actuator/health/parsl");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().at("/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/cpu/status").asString()).isEqualTo("UP");
        assertThat(health.body().at("/components/gpu/status").asString()).isEqualTo("UP");

        HttpJson.Response cpu = http.get("/actuator/health/parsl/cpu");
        assertThat(cpu.status()).isEqualTo(200);
        assertThat(cpu.body().at("/status").asString()).isEqualTo("UP");
        assertThat(cpu.body().at("/details/type").asString()).isEqualTo("thread-pool");
        assertThat(cpu.body().at("/details/slots").asInt()).isEqualTo(2);
        HttpJson.Response gpu = http.get("/actuator/health/parsl/gpu");
        assertThat(gpu.status()).isEqualTo(200);
        assertThat(gpu.body().at("/status").asString()).isEqualTo("UP");
        assertThat(gpu.body().at("/details/type").asString()).isEqualTo("hazelcast");
        assertThat(gpu.body().at("/details/connectedWorkers").asInt()).isEqualTo(1);
        assertThat(gpu.body().at("/details/slots").asInt()).isEqualTo(2);
        assertThat(gpu.body().at("/details/activeBlocks").asInt()).isEqualTo(1);

        assertThat(metric(http, "parsl.tasks.completed", "executor:cpu", "outcome:success")).isEqualTo(6);
        assertThat(metric(http, "parsl.tasks.completed", "executor:cpu", "outcome:failed")).isEqualTo(1);
        assertThat(metric(http, "parsl.tasks.completed", "executor:cpu", "outcome:dep_fail")).isZero();
        assertThat(metric(http, "parsl.tasks.completed", "executor:none", "outcome:dep_fail")).isEqualTo(1);
        assertThat(metric(http, "parsl.tasks.completed", "executor:gpu", "outcome:success")).isEqualTo(4);
        assertThat(metric(http, "parsl.tasks.completed", "executor:gpu", "outcome:failed")).isEqualTo(2);
        assertThat(metric(http, "parsl.tasks.completed", "executor:cpu")).isEqualTo(7);
        assertThat(metric(http, "parsl.tasks.submitted", "executor:gpu")).isEqualTo(6);
        assertThat(metric(http, "parsl.workers.slots", "executor:gpu")).isEqualTo(2);
        assertThat(metric(http, "parsl.workers.connected", "executor:gpu")).isEqualTo(1);
        assertThat(metric(http, "parsl.blocks.active", "executor:gpu")).isEqualTo(1);
        assertThat(metric(http, "parsl.workers.connected", "executor:cpu")).isEqualTo(2);
        assertThat(metric(http, "parsl.tasks.retries", "executor:cpu")).isEqualTo(1); // retries=1: each failing task ran twice
        assertThat(metric(http, "parsl.tasks.retries", "executor:gpu")).isEqualTo(2);
        HttpJson.Response failedTries = http.get("/actuator/metrics/parsl.task.duration?tag=executor:gpu&tag=outcome:failed");
        assertThat(measurement(failedTries.body(), "COUNT")).isEqualTo(4);
        HttpJson.Response waits = http.get("/actuator/metrics/parsl.task.queue.wait?tag=executor:gpu");
        assertThat(measurement(waits.body(), "COUNT")).isEqualTo(8); // 4 successes + 2 failing tasks x 2 tries
        HttpJson.Response duration = http.get("/actuator/metrics/parsl.task.duration?tag=executor:cpu&tag=outcome:success");
        assertThat(duration.status()).isEqualTo(200);
        assertThat(measurement(duration.body(), "COUNT")).isEqualTo(6);

        HttpJson.Response parsl = http.get("/actuator/parsl");
        assertThat(parsl.status()).isEqualTo(200);
        JsonNode body = parsl.body();
        assertThat(body.at("/closed").asBoolean()).isFalse();
        assertThat(body.at("/tasks/exec_done").asLong()).isEqualTo(10);
        assertThat(body.at("/tasks/failed").asLong()).isEqualTo(3);
        assertThat(body.at("/tasks/dep_fail").asLong()).isEqualTo(1);
        assertThat(body.at("/tasks/pending").asLong()).isZero();
        assertThat(body.at("/executors/cpu/type").asString()).isEqualTo("thread-pool");
        assertThat(body.at("/executors/cpu/settings/max-threads").asInt()).isEqualTo(2);
        assertThat(body.at("/executors/gpu/type").asString()).isEqualTo("hazelcast");
        assertThat(body.at("/executors/gpu/healthy").asBoolean()).isTrue();
        assertThat(body.at("/executors/gpu/slots").asInt()).isEqualTo(2);
        assertThat(body.at("/executors/gpu/settings/max-workers-per-node").asInt()).isEqualTo(2);
        assertThat(body.at("/executors/gpu/workers").size()).isEqualTo(1);
        assertThat(body.at("/executors/gpu/workers/0/id").asString()).isNotBlank();
        assertThat(body.at("/executors/gpu/workers/0/host").asString()).isNotBlank();
        assertThat(body.at("/executors/gpu/workers/0/slots").asInt()).isEqualTo(2);
        assertThat(body.at("/executors/gpu/workers/0/lastHeartbeat").asString()).endsWith("Z");
        JsonNode failures = body.at("/recentFailures");
        assertThat(failures.size()).isEqualTo(4);
        // newest first; tasks ending at the same time may come in either order
        assertThat(Instant.parse(failures.get(0).at("/time").asString()))
                .isAfterOrEqualTo(Instant.parse(failures.get(3).at("/time").asString()));
        JsonNode dependent = failureOf(failures, depFail.taskId());
        assertThat(dependent.at("/state").asString()).isEqualTo("DEP_FAIL");
        assertThat(dependent.at("/exception").asString()).isEqualTo("org.parsl.dataflow.DependencyError");
        JsonNode first = failureOf(failures, failed.taskId());
        assertThat(first.at("/exception").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(first.at("/message").asString()).isEqualTo("no good: 1");
        assertThat(first.at("/executor").asString()).isEqualTo("cpu");
        assertThat(first.at("/tries").asInt()).isEqualTo(2);
        JsonNode remote = failureOf(failures, remoteFailed.taskId()); // failed in the worker JVM
        assertThat(remote.at("/executor").asString()).isEqualTo("gpu");
        assertThat(remote.at("/exception").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(remote.at("/message").asString()).isEqualTo("no good: 2");
        assertThat(first.at("/function").asString()).isNotBlank();
        assertThat(body.at("/monitoring/file").asString()).endsWith("monitoring.jsonl");

        HttpJson.Response task = http.get("/actuator/parsl/" + failed.taskId());
        assertThat(task.status()).isEqualTo(200);
        assertThat(task.body().at("/state").asString()).isEqualTo("FAILED");
        // PENDING, LAUNCHED, RUNNING, try 0, LAUNCHED (retry), RUNNING, try 1, FAILED
        assertThat(task.body().at("/records").size()).isEqualTo(8);
        assertThat(task.body().at("/records/3/kind").asString()).isEqualTo("try");
        assertThat(task.body().at("/records/6/tryNumber").asInt()).isEqualTo(1);
        assertThat(http.get("/actuator/parsl/999999").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aCredentialInTheWorkersJvmOptionsReachesTheWorkerButNoCommandLineLogOrEndpoint() throws Exception {
        String seen = App.of(dfk, (Integer x) -> System.getProperty("app.db.password")).onExecutors("gpu").call(0)
                .get(180, TimeUnit.SECONDS);
        assertThat(seen).as("the worker has the system property").isEqualTo("hunter2");
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        assertThat(children).isNotEmpty();
        for (ProcessHandle child : children) {
            assertThat(child.info().commandLine().orElse("")).as("command line of %d", child.pid()).doesNotContain("hunter2");
        }
        try (var files = java.nio.file.Files.walk(dfk.runDir())) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertThat(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as("%s", file)
                        .doesNotContain("hunter2");
            }
        }
        HttpJson.Response parsl = new HttpJson(port).get("/actuator/parsl");
        assertThat(parsl.body().toString()).doesNotContain("hunter2");
    }

    private static JsonNode failureOf(JsonNode failures, long taskId) {
        for (JsonNode f : failures) {
            if (f.at("/taskId").asLong() == taskId) {
                return f;
            }
        }
        throw new AssertionError("task " + taskId + " is not among the recent failures " + failures);
    }

    private static double metric(HttpJson http, String name, String... tags) throws Exception {
        StringBuilder q = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            q.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        HttpJson.Response r = http.get(q.toString());
        assertThat(r.status()).as(q.toString()).isEqualTo(200);
        return measurement(r.body(), r.body().at("/measurements/0/statistic").asString());
    }

    private static double measurement(JsonNode metric, String statistic) {
        for (JsonNode m : metric.at("/measurements")) {
            if (m.at("/statistic").asString().equals(statistic)) {
                return m.at("/value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + metric);
    }
}
