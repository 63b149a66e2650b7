package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;
import org.parsl.Parsl;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An executor breaks while the application runs: {@code /actuator/health/parsl} goes DOWN (HTTP 503)
 * and says which executor and why. Each test starts its own application and closes it.
 */
class ParslHealthDownIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StarterApp {
        // the starter makes the DataFlowKernel from the parsl.* properties
    }

    @Test
    void healthGoesDownWhenTheHazelcastExecutorLosesItsMember() throws Exception {
        String cluster = "parsl-health-it-" + UUID.randomUUID();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterApp.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--management.endpoint.health.show-details=always",
                "--management.endpoints.web.exposure.include=health,parsl",
                "--parsl.run-dir=target/runinfo-health-down-it",
                "--parsl.executors.cpu.type=thread-pool", "--parsl.executors.cpu.max-threads=1",
                "--parsl.executors.gpu.type=hazelcast", "--parsl.executors.gpu.provider.type=external",
                "--parsl.hazelcast.interface=127.0.0.1", "--parsl.hazelcast.cluster-name=" + cluster,
                "--parsl.hazelcast.port=" + freePort())) {
            HttpJson http = new HttpJson(((WebServerApplicationContext) context).getWebServer().getPort());

            // no worker has connected: the pool is waiting for workers, which is not DOWN
            HttpJson.Response up = http.get("/actuator/health/parsl");
            assertThat(up.status()).isEqualTo(200);
            assertThat(up.body().at("/status").asString()).isEqualTo("UP");
            assertThat(up.body().at("/components/gpu/details/type").asString()).isEqualTo("hazelcast");
            assertThat(up.body().at("/components/gpu/details/connectedWorkers").asInt()).isZero();

            HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
                    // the member's cluster name is the configured one plus a tag derived from the secret
                    .filter(i -> i.getConfig().getClusterName().startsWith(cluster)).findFirst().orElseThrow();
            member.getLifecycleService().terminate();

            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/actuator/health/parsl").status() == 503);
            HttpJson.Response down = http.get("/actuator/health/parsl");
            assertThat(down.body().at("/status").asString()).isEqualTo("DOWN");
            assertThat(down.body().at("/components/gpu/status").asString()).isEqualTo("DOWN");
            assertThat(down.body().at("/components/gpu/details/reason").asString()).contains("Hazelcast");
            assertThat(down.body().at("/components/cpu/status").asString()).isEqualTo("UP");
            assertThat(http.get("/actuator/health/parsl/gpu").status()).isEqualTo(503);
            assertThat(http.get("/actuator/health/parsl/cpu").status()).isEqualTo(200);
            assertThat(http.get("/actuator/health").status()).isEqualTo(503);
            HttpJson.Response parsl = http.get("/actuator/parsl");
            assertThat(parsl.body().at("/executors/gpu/healthy").asBoolean()).isFalse();
            assertThat(parsl.body().at("/executors/gpu/problem").asString()).contains("Hazelcast");
        }
    }

    static final BreakableExecutor BREAKABLE = new BreakableExecutor("gpu", 1);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BreakableApp {
        @Bean
        DataFlowKernel parslDataFlowKernel() {
            return Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).executor(BREAKABLE)
                    .runDir(Path.of("target", "runinfo-health-down-it")).build());
        }
    }

    @Test
    void healthGoesDownWithTheReasonTheExecutorGives() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BreakableApp.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--management.endpoint.health.show-details=always",
                "--management.endpoints.web.exposure.include=health,parsl")) {
            HttpJson http = new HttpJson(((WebServerApplicationContext) context).getWebServer().getPort());
            assertThat(http.get("/actuator/health/parsl").body().at("/status").asString()).isEqualTo("UP");

            BREAKABLE.breakWith("its blocks keep failing to start");

            HttpJson.Response health = http.get("/actuator/health/parsl");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().at("/status").asString()).isEqualTo("DOWN");
            assertThat(health.body().at("/components/gpu/details/reason").asString()).isEqualTo("its blocks keep failing to start");
            assertThat(health.body().at("/components/cpu/status").asString()).isEqualTo("UP");
            HttpJson.Response gpu = http.get("/actuator/health/parsl/gpu");
            assertThat(gpu.status()).isEqualTo(503);
            assertThat(gpu.body().at("/details/reason").asString()).isEqualTo("its blocks keep failing to start");
        }
    }

    @Test
    void aWorkerThatCannotStartMakesItsExecutorDownWithTheFailureAndIsNotRelaunchedPastTheCap() throws Exception {
        Path runDir = Path.of("target/runinfo-health-crashing-worker-it-" + UUID.randomUUID());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StarterApp.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--management.endpoint.health.show-details=always",
                "--management.endpoints.web.exposure.include=health,parsl",
                "--parsl.run-dir=" + runDir,
                "--parsl.executors.cpu.type=thread-pool", "--parsl.executors.cpu.max-threads=1",
                "--parsl.executors.gpu.type=hazelcast",
                "--parsl.executors.gpu.provider.type=local",
                // a worker that dies at once, saying why on its output (which goes to the block's log)
                "--parsl.executors.gpu.provider.launch-command=sh,-c,echo 'Error: no GPU driver found' >&2; exit 3",
                "--parsl.hazelcast.interface=127.0.0.1", "--parsl.hazelcast.cluster-name=parsl-crash-it-" + UUID.randomUUID(),
                "--parsl.hazelcast.port=" + freePort())) {
            HttpJson http = new HttpJson(((WebServerApplicationContext) context).getWebServer().getPort());
            // a task waits for the gpu workers, so the executor keeps relaunching the failing block (with back-off)
            org.parsl.app.TaskCallable<Integer> one = () -> 1;
            context.getBean("gpu", org.parsl.concurrent.ParslPoolExecutor.class).submit(one);
            await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/actuator/health/parsl/gpu").status() == 503);
            HttpJson.Response gpu = http.get("/actuator/health/parsl/gpu");
            assertThat(gpu.body().at("/status").asString()).isEqualTo("DOWN");
            assertThat(gpu.body().toString()).contains("blocks keep failing at start").contains("no GPU driver found");
            assertThat(http.get("/actuator/health/parsl/cpu").status()).isEqualTo(200);
            // past the cap no block is started again: the count of block logs stays where it is
            long logs = countLogs(runDir);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> countLogs(runDir) == logs);
        }
    }

    private static long countLogs(Path runDir) throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(runDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("gpu-") && f.toString().endsWith(".log")).count();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
