package org.parsl.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parsl.config.Config;
import org.parsl.config.RetryHandler;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.ThreadPoolExecutor;
import org.parsl.spring.boot.autoconfigure.ParslProperties.ExecutorType;

/**
 * Builds the application's {@link Config} from {@code parsl.*} properties. The core builders check
 * every setting; their failures come out as {@link InvalidParslConfigurationException}s naming the
 * properties ({@link ParslSettingMessages}).
 */
final class ParslConfigFactory {

    /** The label of the executor used when {@code parsl.executors} is empty. */
    static final String DEFAULT_LABEL = "cpu";

    private ParslConfigFactory() {
    }

    /**
     * The executors to configure: those of {@code parsl.executors}, or one thread pool 'cpu' when there
     * are none. A worker adds the labels it serves ({@code parsl.worker.labels}) that its own
     * configuration lacks, so that their pool beans exist there too.
     */
    static Map<String, ParslProperties.Executor> executors(ParslProperties properties) {
        Map<String, ParslProperties.Executor> executors = new LinkedHashMap<>(properties.getExecutors());
        if (executors.isEmpty()) {
            executors.put(DEFAULT_LABEL, new ParslProperties.Executor());
        }
        if (properties.getWorker().isEnabled()) {
            for (String label : properties.getWorker().getLabels()) {
                if (!executors.containsKey(label)) {
                    ParslProperties.Executor served = new ParslProperties.Executor();
                    served.setType(ExecutorType.HAZELCAST);
                    executors.put(label, served);
                }
            }
        }
        return executors;
    }

    /**
     * A builder holding the properties' settings.
     *
     * @param remote makes a distributed (hazelcast) executor from its label and properties
     * @param runDir where the kernel makes its run directories
     */
    static Config.Builder builder(ParslProperties properties, RetryHandler retryHandler, RemoteExecutors remote, Path runDir) {
        Config.Builder builder = Config.builder()
                .retries(properties.getRetries())
                .runDir(runDir)
                .strategy(properties.getStrategy() == null ? null : properties.getStrategy().value())
                .strategyPeriod(properties.getStrategyPeriod())
                .maxIdleTime(properties.getMaxIdleTime());
        if (retryHandler != null) {
            builder.retryHandler(retryHandler);
        }
        executors(properties).forEach((label, e) -> builder.executor(executor(label, e, remote)));
        return builder;
    }

    /** Builds the config, its failure naming the properties. */
    static Config build(Config.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw ParslSettingMessages.config(e);
        }
    }

    private static ParslExecutor executor(String label, ParslProperties.Executor e, RemoteExecutors remote) {
        if (e.getType() == ExecutorType.HAZELCAST) {
            return remote.create(label, e);
        }
        try {
            return new ThreadPoolExecutor(label, e.getMaxThreads());
        } catch (IllegalArgumentException ex) {
            throw ParslSettingMessages.config(ex);
        }
    }
}
