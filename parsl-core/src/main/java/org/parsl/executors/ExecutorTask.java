package org.parsl.executors;

import org.parsl.app.TaskCallable;

/**
 * One try of a task, handed by the DataFlowKernel to a {@link RunningExecutor}.
 *
 * <p>The executor calls {@link #markRunning(String)} just before it runs the body and then exactly one of
 * {@link #succeeded(Object)} or {@link #failed(Throwable)}. Calls after the first outcome, or for a
 * try that was cancelled or superseded, are ignored, so a late or duplicate report never completes a
 * task twice. The callbacks are cheap and never block; they may run dependent work on the calling
 * thread only by handing it to executors.
 */
public interface ExecutorTask {

    /** The task's id, unique within its DataFlowKernel. */
    long taskId();

    /** The try number, from 0. */
    int tryNumber();

    /** The task's function name, for logs and errors. */
    String functionName();

    /** The function bound to its resolved arguments: what to run. Serializable. */
    TaskCallable<?> body();

    /**
     * Reports that the try starts now.
     *
     * @param worker where it runs (a worker id), or {@code null} for the local process
     * @return {@code false} when the task was cancelled meanwhile: the executor must not run it
     */
    boolean markRunning(String worker);

    /** Reports the try's result. */
    void succeeded(Object result);

    /** Reports the try's failure. */
    void failed(Throwable failure);
}
