package org.parsl.app;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task with no arguments. Serializable, so a lambda assigned to it can be sent to a worker JVM
 * without casts (as long as what it captures is serializable too).
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskCallable<R> extends Callable<R>, Serializable {
}
