package org.parsl.dataflow;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What an app hands the DataFlowKernel to submit one task.
 *
 * @param functionName the function's name, for records and logs
 * @param function the function object (checked by distributed executors for serializability)
 * @param binder makes the body from the resolved arguments
 * @param args the arguments as given: futures among them (also inside collections, map values and
 *        arrays) are dependencies
 * @param executors the labels the task may run on; empty = any executor of the DataFlowKernel
 * @param join whether this is a join app: its function runs in this JVM and returns a future, or a
 *        collection of futures, whose values become the task's result
 * @param owner who submitted it (a pool), for {@code DataFlowKernel.unfinishedTasks(owner)}; may be null
 * @param cache whether the result may be memoized (Parsl's {@code cache=True}): with the config's
 *        {@code appCache} on, a task of the same function with equal resolved arguments completes from
 *        the memo table ({@code MEMO_DONE}) without running
 * @param walltime how long one try may run (Parsl's {@code walltime}), counted from the moment its
 *        executor reports that it starts; past it the try fails with {@link WalltimeExceeded} and is
 *        cancelled with interruption (retries apply). {@code null}: no limit
 */
public record TaskSpec(String functionName, Object function, TaskBinder binder, Object[] args,
        Set<String> executors, boolean join, Object owner, boolean cache, Duration walltime) {

    /** A spec without memoization or walltime. */
    public TaskSpec(String functionName, Object function, TaskBinder binder, Object[] args,
            Set<String> executors, boolean join, Object owner) {
        this(functionName, function, binder, args, executors, join, owner, false, null);
    }

    /** A spec without walltime. */
    public TaskSpec(String functionName, Object function, TaskBinder binder, Object[] args,
            Set<String> executors, boolean join, Object owner, boolean cache) {
        this(functionName, function, binder, args, executors, join, owner, cache, null);
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component other than {@code owner} or {@code walltime} is null
     * @throws IllegalArgumentException if walltime is zero or negative
     */
    public TaskSpec {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(binder, "binder");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(executors, "executors");
        checkWalltime(walltime);
    }

    /**
     * The one check of a walltime setting, shared by apps and pools.
     *
     * @param walltime the limit, or null for none
     * @return the limit
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration checkWalltime(Duration walltime) {
        if (walltime != null && (walltime.isNegative() || walltime.isZero())) {
            throw new IllegalArgumentException("walltime is " + walltime + ": it must be positive (or null for no limit)");
        }
        return walltime;
    }
}
