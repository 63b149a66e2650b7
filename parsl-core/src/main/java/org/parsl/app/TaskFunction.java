package org.parsl.app;

import java.io.Serializable;

/**
 * A task function of one argument. Serializable, so a lambda assigned to it can be sent to a worker
 * JVM without casts (as long as what it captures is serializable too).
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskFunction<A, R> extends Serializable {

    /** Runs the task. */
    R apply(A a) throws Exception;
}
