package org.parsl.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.parsl.config.Config;
import org.parsl.config.RetryHandler;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.ThreadPoolExecutor;
import org.parsl.spring.boot.autoconfigure.ParslProperties.ExecutorType;

/** Builds the application's {@link Config} from {@code parsl.*} properties. */
final class ParslConfigFactory {

    /** The label of the executor used when {@code parsl.executors} is empty. */
    static final String DEFAULT_LABEL = "cpu";

    private ParslConfigFactory() {
    }

    /** The executors to configure: those of {@code parsl.executors}, or one thread pool 'cpu' when there are none. */
    static Map<String, ParslProperties.Executor> executors(ParslProperties properties) {
        if (!properties.getExecutors().isEmpty()) {
            return properties.getExecutors();
        }
        Map<String, ParslProperties.Executor> defaults = new LinkedHashMap<>();
        defaults.put(DEFAULT_LABEL, new ParslProperties.Executor());
        return defaults;
    }

    /**
     * A builder holding the properties' settings.
     *
     * @param remote makes a distributed (hazelcast) executor from its label and properties
     */
    static Config.Builder builder(ParslProperties properties, RetryHandler retryHandler,
            RemoteExecutors remote) {
        ParslPropertiesValidator.validateKernel(properties);
        Config.Builder builder = Config.builder()
                .retries(properties.getRetries())
                .runDir(properties.getRunDir())
                .strategy(properties.getStrategy())
                .strategyPeriod(properties.getStrategyPeriod())
                .maxIdleTime(properties.getMaxIdleTime());
        if (retryHandler != null) {
            builder.retryHandler(retryHandler);
        }
        executors(properties).forEach((label, e) -> builder.executor(executor(label, e, remote)));
        return builder;
    }

    private static ParslExecutor executor(String label, ParslProperties.Executor e, RemoteExecutors remote) {
        if (ExecutorType.of(e.getType()) == ExecutorType.THREAD_POOL) {
            return new ThreadPoolExecutor(label, e.getMaxThreads());
        }
        return remote.create(label, e);
    }
}
