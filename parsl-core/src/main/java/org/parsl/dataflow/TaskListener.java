package org.parsl.dataflow;

/**
 * Receives a DataFlowKernel's task events, for metrics and monitoring.
 *
 * <p>Called synchronously on the thread that caused the event (a submitting thread, an executor's
 * thread), before the task's future completes for a final state: listeners must be quick, must not
 * block, and must not throw (an exception from a listener is logged and ignored). Events of one
 * task arrive in order; events of different tasks may interleave.
 */
public interface TaskListener {

    /**
     * A task changed state.
     *
     * @param task the task
     * @param from the previous state, or {@code null} when the task was just submitted
     * @param to the new state
     */
    default void stateChanged(TaskRecord task, TaskState from, TaskState to) {
    }

    /** A try ended (successfully or not); {@code attempt.failure()} tells which. */
    default void tryEnded(TaskRecord task, TaskTry attempt) {
    }
}
