package org.parsl.app;

import java.io.Serializable;

/**
 * A task function of two arguments. Serializable, so a lambda assigned to it can be sent to a worker
 * JVM without casts (as long as what it captures is serializable too).
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskBiFunction<A, B, R> extends Serializable {

    /** Runs the task. */
    R apply(A a, B b) throws Exception;
}
