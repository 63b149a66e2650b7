package org.parsl.executors.hazelcast;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.parsl.executors.ExecutorTask;
import org.parsl.executors.TaskHandle;

/**
 * One try handed to a Hazelcast executor, from its submission until its outcome is reported: the
 * DataFlowKernel's handle to cancel it. Reported at most once ({@link #end()} decides the race
 * between a result, a worker loss and a cancellation).
 */
final class Try implements TaskHandle {

    private static final VarHandle ENDED;
    private static final VarHandle BODY_REPORTED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(Try.class, "ended", boolean.class);
            BODY_REPORTED = MethodHandles.lookup().findVarHandle(Try.class, "bodyReported", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final InFlight inFlight;
    final ExecutorTask task;
    final long taskId;
    final int tryNumber;
    /** The worker that took it, once known. */
    volatile String worker;
    /** When it was put in the task queue (System.nanoTime), 0 before. */
    volatile long dispatchedNanos;
    volatile boolean cancelled;
    /**
     * The unacknowledged-try deadline's marks, read and written by the monitor thread only
     * ({@link WorkerRegistry#checkUnacknowledged}): when a scan first found it gone from the task queue,
     * when it first looked lost, and why (epoch millis; 0: not so).
     */
    long missingSinceMillis;
    long condemnedAtMillis;
    String unacknowledgedReason;
    /** The DataFlowKernel saw it start ({@code markRunning} returned true): its body's end must be reported. */
    volatile boolean started;
    @SuppressWarnings("unused")
    private volatile boolean bodyReported;
    @SuppressWarnings("unused")
    private volatile boolean ended;

    Try(InFlight inFlight, ExecutorTask task) {
        this.inFlight = inFlight;
        this.task = task;
        this.taskId = task.taskId();
        this.tryNumber = task.tryNumber();
    }

    /** Claims the right to report this try's outcome; true for exactly one caller. */
    boolean end() {
        if (ENDED.compareAndSet(this, false, true)) {
            inFlight.removed(this);
            return true;
        }
        return false;
    }

    boolean isEnded() {
        return ended;
    }

    /** Fails the try unless it already ended; its body has ended too (a failure reported, or its worker lost). */
    boolean fail(Throwable t) {
        if (end()) {
            task.failed(t);
            bodyEnded();
            return true;
        }
        return false;
    }

    /** Reports, once, that the body of a started try has returned or never will. */
    void bodyEnded() {
        if (started && BODY_REPORTED.compareAndSet(this, false, true)) {
            inFlight.forgetDraining(this);
            task.bodyEnded();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!end()) {
            return false;
        }
        cancelled = true;
        if (started) {
            inFlight.draining(this); // its body may still run on the worker: it ends when the worker says so, or is lost
        }
        if (dispatchedNanos != 0) {
            inFlight.cancelled(this, mayInterruptIfRunning);
        }
        return true;
    }

    @Override
    public String toString() {
        return "task " + taskId + " (" + task.functionName() + ", try " + tryNumber + ")";
    }
}
