package org.parsl.executors;

import org.parsl.app.TaskCallable;

/**
 * One try of a task, handed by the DataFlowKernel to a {@link RunningExecutor}.
 *
 * <p>The executor calls {@link #markRunning(String)} just before it runs the body; if that returns
 * {@code true}, it then calls exactly one of {@link #succeeded(Object)} or {@link #failed(Throwable)}
 * (unless the try was cancelled meanwhile, when it may skip the outcome), and {@link #bodyEnded()} once
 * the body has returned or thrown. Calls after the first outcome, or for a try that was cancelled or
 * superseded, are ignored, so a late or duplicate report never completes a task twice. The callbacks
 * are cheap and never block; they may run dependent work on the calling thread only by handing it to
 * executors.
 *
 * <p>The outcome and the body's end are separate reports because they are separate facts: a task's
 * future completes with the outcome, but a pool's termination ({@code ExecutorService.awaitTermination})
 * waits for the body, which may go on running after its future was cancelled.
 */
public interface ExecutorTask {

    /**
     * The task's id, unique within its DataFlowKernel.
     *
     * @return the id
     */
    long taskId();

    /**
     * The try number, from 0.
     *
     * @return the number
     */
    int tryNumber();

    /**
     * The task's function name, for logs and errors.
     *
     * @return the name
     */
    String functionName();

    /**
     * The function bound to its resolved arguments: what to run. Serializable.
     *
     * @return the body
     */
    TaskCallable<?> body();

    /**
     * Reports that the try starts now.
     *
     * @param worker where it runs (a worker id), or {@code null} for the local process
     * @return {@code false} when the task was cancelled meanwhile: the executor must not run it (and
     *         must not call {@link #bodyEnded()} for it)
     */
    boolean markRunning(String worker);

    /**
     * Reports the try's result.
     *
     * @param result the body's return value
     */
    void succeeded(Object result);

    /**
     * Reports the try's failure.
     *
     * @param failure what the body threw, or why the try could not run
     */
    void failed(Throwable failure);

    /**
     * Reports that the body of this try has returned or thrown, or that the executor knows it never
     * will run or return (its worker was lost, the executor stopped). Called at most once per try,
     * after {@link #markRunning(String)} returned {@code true}, whether or not the try's outcome was
     * still wanted (a cancelled try's body may go on running after its future was cancelled).
     *
     * <p>An executor that calls it for every started try says so with
     * {@link RunningExecutor#reportsBodyEnds()}; for one that does not, the DataFlowKernel treats a try
     * as ended when it reports its outcome, when its task is cancelled, or when the executor is shut
     * down. Like the other callbacks it is cheap and never blocks; it may be called on any thread
     * (for a local executor, the thread that ran the body, after the outcome was reported).
     */
    void bodyEnded();
}
