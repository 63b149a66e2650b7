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

    /**
     * Whether this executor calls {@link ExecutorTask#bodyEnded()} for every try whose
     * {@link ExecutorTask#markRunning(String) markRunning} returned {@code true} — when the body
     * returns or throws, or when the executor knows it never will (worker lost, executor stopped).
     * Then a pool's termination follows the bodies exactly: a cancelled try counts as running until
     * its body ends.
     *
     * <p>The default, {@code false}, makes the DataFlowKernel fall back to what it can see: a try
     * ends when it reports its outcome ({@code succeeded}/{@code failed}), when its task is
     * cancelled, or when this executor is shut down. The fallback never makes termination wait for
     * a report that will not come, but it may count a cancelled body as ended while it still runs.
     *
     * @return a constant: the DataFlowKernel may read it once per try
     */
    default boolean reportsBodyEnds() {
        return false;
    }

    /** What the executor is doing now, for health, metrics and the endpoint. Cheap; never blocks. */
    ExecutorStatus status();

    /**
     * Stops now: tries not finished are abandoned (the DataFlowKernel has cancelled them), threads,
     * processes and connections are released. Idempotent. An executor that
     * {@linkplain #reportsBodyEnds() reports body ends} reports {@link ExecutorTask#bodyEnded()}
     * for every started try whose body it will no longer hear about (a local executor instead
     * interrupts its threads and reports each body when it returns).
     */
    void shutdown();
}
