package org.parsl.executors;

/** A try queued on an executor, as seen by the DataFlowKernel: something it can cancel. */
@FunctionalInterface
public interface TaskHandle {

    /**
     * Cancels the try: a queued try never starts; a running one is interrupted if
     * {@code mayInterruptIfRunning}. Idempotent; has no effect on a finished try.
     *
     * @return whether this call cancelled it
     */
    boolean cancel(boolean mayInterruptIfRunning);
}
