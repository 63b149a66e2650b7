package org.parsl.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches when the application is the one that submits the work — it runs the DataFlowKernel that
 * hands tasks to the Hazelcast workers — and not one of those workers ({@code parsl.worker.enabled}
 * is false or unset). Put it on beans that must not exist on workers: a job that starts at startup,
 * a scheduler, a message listener that feeds work in. Beans that only inject the pools need nothing:
 * a worker has the same pool beans, which run their tasks in the worker's own JVM.
 *
 * @see ConditionalOnParslWorker
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnBooleanProperty(name = ParslAutoConfiguration.WORKER_ENABLED_PROPERTY, havingValue = false, matchIfMissing = true)
public @interface ConditionalOnParslKernel {
}
