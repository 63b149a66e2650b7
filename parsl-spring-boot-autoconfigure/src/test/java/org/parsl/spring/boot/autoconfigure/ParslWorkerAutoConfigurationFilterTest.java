package org.parsl.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ParslWorkerAutoConfigurationFilterTest {

    private static final String[] CANDIDATES = {
            "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
            "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration",
            null};

    private static boolean[] match(MockEnvironment environment) {
        ParslWorkerAutoConfigurationFilter filter = new ParslWorkerAutoConfigurationFilter();
        filter.setEnvironment(environment);
        return filter.match(CANDIDATES, null);
    }

    @Test
    void aWorkerLeavesOutTheActuatorsAutoConfigurations() {
        assertThat(match(new MockEnvironment().withProperty("parsl.worker.enabled", "true")))
                .containsExactly(false, false, false, true, true, true);
    }

    @Test
    void aWorkerWithTheActuatorEnabledKeepsThem() {
        assertThat(match(new MockEnvironment().withProperty("parsl.worker.enabled", "true")
                .withProperty("parsl.worker.actuator-enabled", "true"))).containsOnly(true);
    }

    @Test
    void anApplicationThatIsNoWorkerKeepsThem() {
        assertThat(match(new MockEnvironment())).containsOnly(true);
    }
}
