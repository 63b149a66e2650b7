package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ParslHealthContributorAutoConfigurationTest {

    @TempDir
    Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslHealthContributorAutoConfiguration.class));

    private ApplicationContextRunner withDfk() {
        return runner.withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir));
    }

    @Test
    void registersTheParslCompositeWithOneChildPerExecutor() {
        withDfk().run(context -> {
            assertThat(context).hasBean("parslHealthContributor");
            CompositeHealthContributor parsl = context.getBean("parslHealthContributor", CompositeHealthContributor.class);
            assertThat(((HealthIndicator) parsl.getContributor("cpu")).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void backsOffWhenTheIndicatorIsDisabled() {
        withDfk().withPropertyValues("management.health.parsl.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("parslHealthContributor"));
    }

    @Test
    void backsOffWithoutADataFlowKernel() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("parslHealthContributor"));
    }

    @Test
    void backsOffWithoutSpringBootHealthOnTheClassPath() {
        withDfk().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("parslHealthContributor"));
    }

    @Test
    void backsOffOnAWorker() {
        withDfk().withPropertyValues("parsl.worker.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("parslHealthContributor"));
    }

    @Test
    void aUserIndicatorNamedParslHealthIndicatorReplacesIt() {
        withDfk().withBean("parslHealthIndicator", HealthIndicator.class, () -> () -> null)
                .run(context -> assertThat(context).doesNotHaveBean("parslHealthContributor"));
    }
}
