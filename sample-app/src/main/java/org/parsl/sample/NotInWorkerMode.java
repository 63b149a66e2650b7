package org.parsl.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Marks the beans of the service side — jobs, REST, the demo — which a worker (this application
 * started with {@code parsl.worker.enabled=true}) must not create: a worker has no DataFlowKernel
 * and no pools, it only runs the {@code @Async("gpu")} calls sent to it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnBooleanProperty(name = "parsl.worker.enabled", havingValue = false, matchIfMissing = true)
public @interface NotInWorkerMode {
}
