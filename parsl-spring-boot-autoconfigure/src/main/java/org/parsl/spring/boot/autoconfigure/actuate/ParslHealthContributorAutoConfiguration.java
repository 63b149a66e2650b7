package org.parsl.spring.boot.autoconfigure.actuate;

import org.parsl.dataflow.DataFlowKernel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code parsl} health contributor ({@code /actuator/health/parsl}); turn it off with
 * {@code management.health.parsl.enabled=false}.
 */
@AutoConfiguration(afterName = "org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnSingleCandidate(DataFlowKernel.class)
@ConditionalOnEnabledHealthIndicator("parsl")
public final class ParslHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "parslHealthIndicator")
    ParslHealthIndicator parslHealthIndicator(DataFlowKernel dfk) {
        return new ParslHealthIndicator(dfk);
    }
}
