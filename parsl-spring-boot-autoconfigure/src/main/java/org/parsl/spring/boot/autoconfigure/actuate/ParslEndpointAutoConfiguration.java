package org.parsl.spring.boot.autoconfigure.actuate;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The read-only {@code parsl} actuator endpoint ({@code GET /actuator/parsl}). Like every endpoint
 * but {@code health}, it must be exposed to be served:
 * {@code management.endpoints.web.exposure.include=health,metrics,parsl}.
 */
@AutoConfiguration(after = ParslMonitoringAutoConfiguration.class,
        afterName = "org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration")
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnSingleCandidate(DataFlowKernel.class)
@ConditionalOnParslKernel
@ConditionalOnAvailableEndpoint(ParslEndpoint.class)
public final class ParslEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ParslEndpoint parslEndpoint(DataFlowKernel dfk, ObjectProvider<ListeningMonitoringStore> monitoring,
            ObjectProvider<SanitizingFunction> sanitizers) {
        ListeningMonitoringStore store = monitoring.getIfAvailable();
        return new ParslEndpoint(dfk, store == null ? null : store.store(), sanitizers.orderedStream().toList());
    }
}
