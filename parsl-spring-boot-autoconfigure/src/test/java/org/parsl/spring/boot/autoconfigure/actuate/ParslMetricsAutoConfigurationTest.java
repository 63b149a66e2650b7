package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    void timersPublishNoHistogramOrPercentilesByDefault() {
        withDfkAndRegistry().withBean(MeterRegistry.class, RecordingRegistry::new).run(context -> {
            App.of(context.getBean(DataFlowKernel.class), (Integer x) -> x + 1).call(1).get();
            DistributionStatisticConfig duration = context.getBean(RecordingRegistry.class).timers.get("parsl.task.duration");
            assertThat(duration.isPercentileHistogram()).isFalse();
            assertThat(duration.getPercentiles()).isEmpty();
        });
    }

    @Test
    void bootsDistributionPropertiesTurnTheHistogramOn() {
        withDfkAndRegistry().withBean(MeterRegistry.class, RecordingRegistry::new)
                .withPropertyValues("management.metrics.distribution.percentiles-histogram.parsl=true",
                        "management.metrics.distribution.percentiles.parsl.task.queue.wait=0.99")
                .run(context -> {
                    App.of(context.getBean(DataFlowKernel.class), (Integer x) -> x + 1).call(1).get();
                    RecordingRegistry registry = context.getBean(RecordingRegistry.class);
                    assertThat(registry.timers.get("parsl.task.duration").isPercentileHistogram()).isTrue();
                    assertThat(registry.timers.get("parsl.task.queue.wait").getPercentiles()).containsExactly(0.99);
                });
    }

    /** A registry that keeps the distribution config each timer was made with (after every filter). */
    static class RecordingRegistry extends SimpleMeterRegistry {
        final Map<String, DistributionStatisticConfig> timers = new ConcurrentHashMap<>();

        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
            timers.put(id.getName(), config);
            return super.newTimer(id, config, pauseDetector);
        }
    }

    @Test
    void backsOffOnAWorker() {
        withDfkAndRegistry().withPropertyValues("parsl.worker.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ParslMetrics.class));
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
