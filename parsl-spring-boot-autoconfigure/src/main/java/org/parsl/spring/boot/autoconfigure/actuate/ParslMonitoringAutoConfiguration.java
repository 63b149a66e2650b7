package org.parsl.spring.boot.autoconfigure.actuate;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel;
import org.parsl.monitoring.MonitoringStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the DataFlowKernel's monitoring records: a {@link MonitoringStore} listening to its task
 * events ({@code parsl.monitoring.*}). The {@code parsl} actuator endpoint reads it.
 */
@AutoConfiguration(afterName = "org.parsl.spring.boot.autoconfigure.ParslAutoConfiguration")
@ConditionalOnSingleCandidate(DataFlowKernel.class)
@ConditionalOnParslKernel
@ConditionalOnBooleanProperty(name = "parsl.monitoring.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ParslMonitoringProperties.class)
public final class ParslMonitoringAutoConfiguration {

    /** The file name of the JSON-lines records in the run directory. */
    public static final String JSON_LINES_FILE = "monitoring.jsonl";

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    ListeningMonitoringStore parslMonitoringStore(DataFlowKernel dfk, ParslMonitoringProperties properties) {
        MonitoringStore.Builder builder = MonitoringStore.builder()
                .capacity(properties.getCapacity())
                .recentFailures(properties.getRecentFailures());
        if (properties.isJsonLines()) {
            builder.jsonLines(dfk.runDir().resolve(JSON_LINES_FILE));
        }
        return new ListeningMonitoringStore(dfk, builder.build());
    }
}
