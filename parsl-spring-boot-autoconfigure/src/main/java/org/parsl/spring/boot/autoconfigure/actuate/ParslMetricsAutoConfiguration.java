package org.parsl.spring.boot.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.metrics.ParslMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the DataFlowKernel ({@code parsl.tasks.*}, {@code parsl.task.*},
 * {@code parsl.workers.*}, {@code parsl.blocks.active}; see {@link ParslMetrics}), bound to every
 * {@link MeterRegistry} by Spring Boot's metrics auto-configuration.
 */
@AutoConfiguration(afterName = {"org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(DataFlowKernel.class)
public final class ParslMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ParslMetrics parslMetrics(DataFlowKernel dfk) {
        return new ParslMetrics(dfk);
    }
}
