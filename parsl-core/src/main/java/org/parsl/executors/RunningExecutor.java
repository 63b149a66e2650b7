package org.parsl.executors;

/**
 * An executor started by one DataFlowKernel: it runs the tries the DataFlowKernel hands it.
 *
 * <p>Thread safety: every method may be called from any thread, concurrently.
 */
public interface RunningExecutor {

    /** The label of the executor this was started from. */
    String label();

    /**
     * Checks, when a task is submitted, that its function can run here; a distributed executor
     * checks that it can be serialized. Called on the submitting thread.
     *
     * @param function the task's function object (a {@code TaskFunction}, {@code TaskCallable}, ...)
     * @throws IllegalArgumentException naming the function's class and how to fix it
     */
    default void checkSubmittable(Object function) {
    }

    /**
     * Queues one try of a task. Never blocks on the task; must not throw for a task it cannot run
     * (it reports that through {@link ExecutorTask#failed(Throwable)}).
     *
     * @return a handle to cancel the try
     */
    TaskHandle submit(ExecutorTask task);

    /** What the executor is doing now, for health, metrics and the endpoint. Cheap; never blocks. */
    ExecutorStatus status();

    /**
     * Stops now: tries not finished are abandoned (the DataFlowKernel has cancelled them), threads,
     * processes and connections are released. Idempotent.
     */
    void shutdown();
}
