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
    private static final VarHandle LANE;
    /** In {@link #lane} once the try ended: no lane can be given it any more. */
    private static final LinkServer.Lane NO_LANE = new LinkServer.Lane("", 0, null);

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(Try.class, "ended", boolean.class);
            BODY_REPORTED = MethodHandles.lookup().findVarHandle(Try.class, "bodyReported", boolean.class);
            LANE = MethodHandles.lookup().findVarHandle(Try.class, "lane", LinkServer.Lane.class);
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
    /** The link it was sent on, once sent (its room is given back when the try ends). */
    volatile LinkServer.Lane lane;
    /** When it was sent to a worker (System.nanoTime), 0 before. */
    volatile long dispatchedNanos;
    volatile boolean cancelled;
    /**
     * The unacknowledged-try deadline's marks, read and written by the monitor thread only
     * ({@link WorkerRegistry#checkUnacknowledged}): when a check first found it sent and not waiting for room,
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

    /** Claims the right to report this try's outcome; true for exactly one caller. Gives its worker's room back. */
    boolean end() {
        if (endKeepingLane()) {
            releaseLane();
            return true;
        }
        return false;
    }

    /** {@link #end()}, but the room on its worker stays taken (its body may still run there). */
    private boolean endKeepingLane() {
        if (ENDED.compareAndSet(this, false, true)) {
            inFlight.removed(this);
            return true;
        }
        return false;
    }

    /** Gives the room this try took on its worker's link back, once. */
    private void releaseLane() {
        LinkServer.Lane l = (LinkServer.Lane) LANE.getAndSet(this, NO_LANE);
        if (l != null && l != NO_LANE) {
            l.release();
        }
    }

    /**
     * Sends the try on a lane: counts it there, unless the try ended meanwhile (then false, and the
     * lane's count is as before). The count is given back exactly once, when the try ends.
     */
    boolean assignLane(LinkServer.Lane l) {
        l.outstanding.incrementAndGet();
        if (LANE.compareAndSet(this, (LinkServer.Lane) null, l)) {
            return true;
        }
        l.outstanding.decrementAndGet();
        return false;
    }

    /** The lane it was sent on, or null (not sent, or ended before). */
    LinkServer.Lane sentOn() {
        LinkServer.Lane l = lane;
        return l == NO_LANE ? null : l;
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
        releaseLane(); // its slot on the worker is free again
        if (started && BODY_REPORTED.compareAndSet(this, false, true)) {
            inFlight.forgetDraining(this);
            task.bodyEnded();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!endKeepingLane()) {
            return false;
        }
        cancelled = true;
        if (started) {
            // its body may still run on the worker: it ends when the worker says so, or is lost, and only
            // then is its slot there given to another try
            inFlight.draining(this);
        } else {
            releaseLane();
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
