package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ParslWorkerEnvironmentPostProcessorTest {

    private final ParslWorkerEnvironmentPostProcessor processor = new ParslWorkerEnvironmentPostProcessor();

    @Test
    void workerModeTurnsTheWebServerOffAndKeepsTheJvmAlive() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("PARSL_WORKER_ENABLED", "true")));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
        assertThat(environment.getProperty("spring.main.keep-alive")).isEqualTo("true");
    }

    @Test
    void workerModeCreatesBeansWhenFirstUsed() {
        StandardEnvironment environment = environment(Map.of("parsl.worker.enabled", "true"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.main.lazy-initialization")).isEqualTo("true");
    }

    @Test
    void anApplicationThatNeedsEagerBeansOnItsWorkersTurnsLazyInitializationOff() {
        StandardEnvironment environment = environment(Map.of("parsl.worker.enabled", "true",
                "spring.main.lazy-initialization", "false"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.main.lazy-initialization")).isEqualTo("false");
    }

    @Test
    void theApplicationsOwnSettingWins() {
        StandardEnvironment environment = environment(Map.of("parsl.worker.enabled", "true",
                "spring.main.web-application-type", "servlet"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("servlet");
    }

    @Test
    void withoutWorkerModeNothingChanges() {
        StandardEnvironment environment = environment(Map.of());
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().contains(ParslWorkerEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
