package org.parsl.spring.boot.autoconfigure;

import org.parsl.config.Config;

/**
 * Adjusts the {@link Config} built from {@code parsl.*} properties before it is built, e.g. to set a
 * {@code RetryHandler} or add an executor made in code. Beans of this type are applied in
 * {@code @Order}; a {@code Config} bean of your own replaces the auto-configured one (and skips them).
 */
@FunctionalInterface
public interface ParslConfigCustomizer {

    /**
     * @param builder the builder holding the settings from the properties; change it in place
     */
    void customize(Config.Builder builder);
}
