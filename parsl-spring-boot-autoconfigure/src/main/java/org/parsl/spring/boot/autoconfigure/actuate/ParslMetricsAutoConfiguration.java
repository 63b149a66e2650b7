package org.parsl.spring.boot.autoconfigure.actuate;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.metrics.ParslMetrics;
import org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Micrometer meters of the DataFlowKernel ({@code parsl.tasks.*}, {@code parsl.task.*},
 * {@code parsl.workers.*}, {@code parsl.blocks.active}; see {@link ParslMetrics}), bound to every
 * {@link MeterRegistry} by Spring Boot's metrics auto-configuration. As for Boot's own meters, the
 * timers publish no percentile histogram and no client-side percentiles unless asked for with Boot's
 * properties, e.g. {@code management.metrics.distribution.percentiles-histogram.parsl=true} or
 * {@code management.metrics.distribution.percentiles.parsl.task.duration=0.5,0.99}. Not on workers.
 */
@AutoConfiguration(afterName = {"org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(DataFlowKernel.class)
@ConditionalOnParslKernel
public final class ParslMetricsAutoConfiguration {

    /** The name of the {@link MeterFilter} that turns the timers' histograms and percentiles off by default. */
    public static final String METER_FILTER_BEAN_NAME = "parslMeterFilter";

    @Bean
    @ConditionalOnMissingBean
    ParslMetrics parslMetrics(DataFlowKernel dfk) {
        return new ParslMetrics(dfk);
    }

    /**
     * Runs before Boot's {@code PropertiesMeterFilter} ({@code @Order(0)}), which then applies
     * {@code management.metrics.distribution.*} on top.
     */
    @Bean(METER_FILTER_BEAN_NAME)
    @Order(-1)
    @ConditionalOnMissingBean(name = METER_FILTER_BEAN_NAME)
    MeterFilter parslMeterFilter() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().startsWith("parsl.")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(false).percentiles(new double[0])
                        .build().merge(config);
            }
        };
    }
}
