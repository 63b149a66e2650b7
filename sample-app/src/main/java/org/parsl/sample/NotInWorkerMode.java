package org.parsl.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.parsl.spring.boot.autoconfigure.ConditionalOnParslKernel;

/**
 * The sample's former home-made condition, now the starter's {@link ConditionalOnParslKernel}: use
 * that. Beans that only inject the pools need no condition at all (a worker has the same pool beans);
 * only those that must not run on workers (e.g. a job started at startup) do.
 *
 * @deprecated use {@link ConditionalOnParslKernel}
 */
@Deprecated(forRemoval = true)
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ConditionalOnParslKernel
public @interface NotInWorkerMode {
}
