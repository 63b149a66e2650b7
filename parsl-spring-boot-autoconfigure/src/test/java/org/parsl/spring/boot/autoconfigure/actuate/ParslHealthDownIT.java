package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

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
 * and says which executor and why. Its own application context, closed at the end.
 */
class ParslHealthDownIT {

    static final BreakableExecutor GPU = new BreakableExecutor("gpu", 1);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        DataFlowKernel parslDataFlowKernel() {
            return Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).executor(GPU)
                    .runDir(Path.of("target", "runinfo-health-down-it")).build());
        }
    }

    @Test
    void healthGoesDownWithTheReasonWhenAnExecutorBreaks() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--management.endpoint.health.show-details=always",
                "--management.endpoints.web.exposure.include=health,parsl")) {
            HttpJson http = new HttpJson(((WebServerApplicationContext) context).getWebServer().getPort());
            assertThat(http.get("/actuator/health/parsl").body().at("/status").asString()).isEqualTo("UP");

            GPU.breakWith("lost its Hazelcast connection");

            HttpJson.Response health = http.get("/actuator/health/parsl");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().at("/status").asString()).isEqualTo("DOWN");
            assertThat(health.body().at("/details/reason").asString()).isEqualTo("executor 'gpu': lost its Hazelcast connection");
            assertThat(health.body().at("/details/executors/gpu/state").asString()).isEqualTo("DOWN");
            assertThat(health.body().at("/details/executors/gpu/problem").asString()).isEqualTo("lost its Hazelcast connection");
            assertThat(health.body().at("/details/executors/cpu/state").asString()).isEqualTo("UP");
            assertThat(http.get("/actuator/health").status()).isEqualTo(503);
            HttpJson.Response parsl = http.get("/actuator/parsl");
            assertThat(parsl.body().at("/executors/gpu/healthy").asBoolean()).isFalse();
            assertThat(parsl.body().at("/executors/gpu/problem").asString()).isEqualTo("lost its Hazelcast connection");
        }
    }
}
