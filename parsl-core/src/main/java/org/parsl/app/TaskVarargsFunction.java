package org.parsl.app;

import java.io.Serializable;

/**
 * A task function of any number of arguments, for apps whose arity is known only at run time.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskVarargsFunction<R> extends Serializable {

    /** Runs the task with its resolved arguments. */
    R apply(Object[] args) throws Exception;
}
