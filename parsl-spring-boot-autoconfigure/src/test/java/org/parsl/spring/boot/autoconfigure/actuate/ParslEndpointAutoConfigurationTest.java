package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ParslEndpointAutoConfigurationTest {

    @TempDir
    Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=parsl");

    private ApplicationContextRunner withDfk() {
        return runner.withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir));
    }

    @Test
    void registersTheEndpointWhenExposed() {
        withDfk().run(context -> assertThat(context).hasSingleBean(ParslEndpoint.class));
    }

    @Test
    void readsTheMonitoringStoreWhenThereIsOne() {
        withDfk().withConfiguration(AutoConfigurations.of(ParslMonitoringAutoConfiguration.class))
                .run(context -> assertThat(context.getBean(ParslEndpoint.class).parsl().monitoring()).isNotNull());
    }

    @Test
    void worksWithoutMonitoring() {
        withDfk().run(context -> {
            ParslEndpoint.Descriptor d = context.getBean(ParslEndpoint.class).parsl();
            assertThat(d.monitoring()).isNull();
            assertThat(d.recentFailures()).isEmpty();
            assertThat(d.executors()).containsOnlyKeys("cpu");
        });
    }

    @Test
    void backsOffWhenNotExposed() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ParslEndpointAutoConfiguration.class))
                .withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslEndpoint.class));
    }

    @Test
    void backsOffWhenAccessIsNone() {
        withDfk().withPropertyValues("management.endpoint.parsl.access=NONE")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslEndpoint.class));
    }

    @Test
    void backsOffWithoutADataFlowKernel() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslEndpoint.class));
    }

    @Test
    void backsOffWithoutActuatorOnTheClassPath() {
        withDfk().withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslEndpoint.class));
    }
}
