package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.app.App;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.metrics.ParslMetrics;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ParslMetricsAutoConfigurationTest {

    @TempDir
    Path runDir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ParslMetricsAutoConfiguration.class));

    private ApplicationContextRunner withDfkAndRegistry() {
        return runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir));
    }

    @Test
    void bindsTheMetersOfTheDataFlowKernelBeanToTheRegistry() {
        withDfkAndRegistry().run(context -> {
            assertThat(context).hasSingleBean(ParslMetrics.class);
            App.of(context.getBean(DataFlowKernel.class), (Integer x) -> x + 1).call(1).get();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("parsl.tasks.completed").tag("executor", "cpu").tag("outcome", "success")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.get("parsl.workers.slots").tag("executor", "cpu").gauge().value()).isEqualTo(2);
        });
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        runner.withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslMetrics.class));
    }

    @Test
    void backsOffWithoutADataFlowKernel() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslMetrics.class));
    }

    @Test
    void backsOffWithoutMicrometerOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withBean("parslDataFlowKernel", DataFlowKernel.class, () -> ActuateTestSupport.dfk(runDir))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslMetrics.class));
    }

    @Test
    void aUserBinderReplacesIt() {
        withDfkAndRegistry().withUserConfiguration(UserMetrics.class)
                .run(context -> assertThat(context).hasSingleBean(ParslMetrics.class).hasBean("myMetrics"));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class UserMetrics {
        @org.springframework.context.annotation.Bean
        ParslMetrics myMetrics(DataFlowKernel dfk) {
            return new ParslMetrics(dfk);
        }
    }
}
