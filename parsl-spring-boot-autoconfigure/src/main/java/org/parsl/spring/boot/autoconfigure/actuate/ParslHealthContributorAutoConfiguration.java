package org.parsl.spring.boot.autoconfigure.actuate;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code parsl} health contributor: a composite with one child per executor
 * ({@code /actuator/health/parsl}, {@code /actuator/health/parsl/gpu}), DOWN when any executor is;
 * turn it off with {@code management.health.parsl.enabled=false}. Not on workers.
 */
@AutoConfiguration(afterName = "org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnSingleCandidate(DataFlowKernel.class)
@ConditionalOnParslKernel
@ConditionalOnEnabledHealthIndicator("parsl")
public final class ParslHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = {"parslHealthContributor", "parslHealthIndicator"})
    CompositeHealthContributor parslHealthContributor(DataFlowKernel dfk) {
        return ParslExecutorHealthIndicator.of(dfk);
    }
}
