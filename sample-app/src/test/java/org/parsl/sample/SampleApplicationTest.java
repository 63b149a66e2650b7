package org.parsl.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class SampleApplicationTest {

    @Test
    void workerModeTurnsTheWebServerOff() {
        assertThat(webApplicationTypeWith(Map.of("parsl.worker.enabled", "true"))).isEqualTo(WebApplicationType.NONE);
    }

    @Test
    void serviceModeKeepsTheWebServer() {
        assertThat(webApplicationTypeWith(Map.of())).isEqualTo(WebApplicationType.SERVLET);
        assertThat(webApplicationTypeWith(Map.of("parsl.worker.enabled", "false"))).isEqualTo(WebApplicationType.SERVLET);
    }

    private static WebApplicationType webApplicationTypeWith(Map<String, Object> properties) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new SampleApplication.WorkersServeNoWebTraffic().onApplicationEvent(
                new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), application, new String[0], environment));
        return application.getWebApplicationType();
    }
}
