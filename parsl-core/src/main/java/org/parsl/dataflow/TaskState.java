package org.parsl.dataflow;

/**
 * The states of a task, as in Parsl, plus {@link #CANCELLED}.
 *
 * <p>{@code PENDING → LAUNCHED → RUNNING → EXEC_DONE | FAILED}; a failed try with retries left goes
 * back to {@code LAUNCHED}; a join app goes {@code RUNNING → JOINING → EXEC_DONE | FAILED}; a task
 * whose dependency failed ends in {@code DEP_FAIL}; a cancelled one in {@code CANCELLED}.
 */
public enum TaskState {
    /** Waiting for its dependencies. */
    PENDING,
    /** Handed to an executor, not yet running. */
    LAUNCHED,
    /** Running on an executor. */
    RUNNING,
    /** A join app whose function returned: waiting for the futures it returned. */
    JOINING,
    /** Finished with a result. */
    EXEC_DONE,
    /** Failed, retries used up. */
    FAILED,
    /** Not run because a dependency failed or was cancelled. */
    DEP_FAIL,
    /** Completed from the memo table without running. */
    MEMO_DONE,
    /** Cancelled before it finished. */
    CANCELLED;

    /** Whether this state is final: the task's future is (or is about to be) complete. */
    public boolean isFinal() {
        return ordinal() >= EXEC_DONE.ordinal();
    }
}
