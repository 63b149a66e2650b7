package org.parsl.dataflow;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Backpressure: the bound on the tasks one DataFlowKernel holds unfinished
 * ({@code Config.maxTasksInFlight}). A task submitted from an application thread takes a permit,
 * waiting for one when all are taken (or failing at once when {@code Config.blockWhenFull} is off);
 * its move to a final state gives the permit back.
 *
 * <p>Threads that end or run tasks never wait here: a thread inside a task's completion (callbacks on
 * its future, listeners, dependents' launches — on an executor's result thread or a local body's
 * thread) or inside a local task's body (e.g. a join app's function) submits without a permit when none
 * is free. Waiting there could stop the very thread that would free permits, so such tasks go over the
 * bound instead; they are few, as they are made by tasks that are themselves bounded.
 */
final class Admission {

    /** Depth of "this thread ends or runs a task" (nested: a body's outcome completes its future on the same thread). */
    private static final ThreadLocal<int[]> INSIDE = ThreadLocal.withInitial(() -> new int[1]);

    private final int bound;
    private final boolean block;
    private final Semaphore permits;
    private volatile boolean closed;

    Admission(int bound, boolean block) {
        this.bound = bound;
        this.block = block;
        this.permits = new Semaphore(Math.min(bound, Integer.MAX_VALUE / 2)); // room for close()'s extra permit
    }

    /** Marks the calling thread as ending or running a task until the matching {@link #leaveTaskThread()}. */
    static void enterTaskThread() {
        INSIDE.get()[0]++;
    }

    static void leaveTaskThread() {
        INSIDE.get()[0]--;
    }

    static boolean onTaskThread() {
        return INSIDE.get()[0] > 0;
    }

    /**
     * Admits one task.
     *
     * @param owner the DataFlowKernel, named in messages (its {@code toString()} is called only for one)
     * @return whether the task holds a permit (to give back with {@link #release()} when it is final)
     * @throws RejectedExecutionException when the bound is reached and waiting is off, when this
     *         admission closes while the caller waits, or when the caller is interrupted while waiting
     *         (its interrupt status is set again)
     */
    boolean admit(Object owner) {
        if (permits.tryAcquire()) {
            return true;
        }
        if (onTaskThread()) {
            return false;
        }
        if (!block) {
            throw new RejectedExecutionException(owner + " holds " + bound + " unfinished tasks, its bound (Config maxTasksInFlight = "
                    + bound + "; blockWhenFull is false, so submit fails instead of waiting): submit again once tasks finish,"
                    + " raise maxTasksInFlight, or set blockWhenFull to wait");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room in " + owner + ", which holds its bound of " + bound
                    + " unfinished tasks (Config maxTasksInFlight)", e);
        }
        if (closed) {
            permits.release(); // wakes the next waiter, which sees closed too
            return false;
        }
        return true;
    }

    /** Gives back a task's permit. */
    void release() {
        permits.release();
    }

    /** Wakes every waiting submitter; each then finds its DataFlowKernel closed. */
    void close() {
        closed = true;
        permits.release();
    }

    boolean isClosed() {
        return closed;
    }

    int bound() {
        return bound;
    }

    /** Submitters waiting for room now. */
    int waiting() {
        return permits.getQueueLength();
    }
}
