package org.parsl.spring.boot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * In worker mode, leaves out Spring Boot's actuator auto-configurations — endpoints, health, metrics —
 * unless {@code parsl.worker.actuator-enabled=true}: a worker serves no web requests, and a worker JVM
 * starts on a machine busy starting its siblings, so every auto-configuration it need not parse counts.
 * A filter (by name, before any class is read) rather than {@code spring.autoconfigure.exclude}, which
 * would load each excluded class and would compete with the application's own exclusions.
 */
final class ParslWorkerAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    /** The packages of the actuator's auto-configurations (Spring Boot 4's modules). */
    static final List<String> ACTUATOR_PACKAGES = List.of(
            "org.springframework.boot.actuate.autoconfigure.",
            "org.springframework.boot.health.autoconfigure.",
            "org.springframework.boot.micrometer.metrics.autoconfigure.");

    private boolean skipActuator;

    @Override
    public void setEnvironment(Environment environment) {
        this.skipActuator = environment.getProperty(ParslAutoConfiguration.WORKER_ENABLED_PROPERTY, Boolean.class, false)
                && !environment.getProperty("parsl.worker.actuator-enabled", Boolean.class, false);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] match = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < match.length; i++) {
            match[i] = !skipActuator || autoConfigurationClasses[i] == null || !isActuator(autoConfigurationClasses[i]);
        }
        return match;
    }

    static boolean isActuator(String autoConfigurationClass) {
        return ACTUATOR_PACKAGES.stream().anyMatch(autoConfigurationClass::startsWith);
    }
}
