package org.parsl.config;

import org.parsl.dataflow.TaskRecord;

/**
 * Parsl's retry cost model: decides how much one failed try counts against {@link Config#retries()}.
 *
 * <p>A task is tried again while the sum of the costs of its failures stays at or below
 * {@code retries}. The default handler gives every failure a cost of 1, so {@code retries = 2} means
 * three tries in all. A handler that returns a large cost for a failure that can never succeed (bad
 * input) stops retries at once; one that returns a small cost for a transient failure (a lost
 * worker) lets it be retried more often.
 *
 * <p>Called on the thread that reported the failure, once per failed try; it must be fast and must
 * not block.
 */
@FunctionalInterface
public interface RetryHandler {

    /** The handler Parsl uses when none is configured: every failure costs 1. */
    RetryHandler DEFAULT = (failure, task) -> 1.0;

    /**
     * The cost of one failure.
     *
     * @param failure the exception the try failed with
     * @param task the task; {@code task.tries()} already holds the failed try
     * @return the cost, added to the task's accumulated failure cost; must not be negative
     */
    double cost(Throwable failure, TaskRecord task);
}
