package org.parsl.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches when the application runs as a Parsl worker ({@code parsl.worker.enabled=true}): this same
 * application relaunched by a local provider, or started by hand, to run the tasks of Hazelcast
 * executors. Put it on beans that only a worker needs.
 *
 * @see ConditionalOnParslKernel
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnBooleanProperty(name = ParslAutoConfiguration.WORKER_ENABLED_PROPERTY)
public @interface ConditionalOnParslWorker {
}
