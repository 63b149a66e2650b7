package org.parsl.dataflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Backpressure: the bound on the tasks one DataFlowKernel holds unfinished
 * ({@code Config.maxTasksInFlight}). A task submitted from an application thread takes a permit,
 * waiting for one when all are taken (or failing at once when {@code Config.blockWhenFull} is off);
 * its move to a final state gives the permit back, and a submitter waiting for room goes on as soon as
 * one is given back.
 *
 * <p>Threads that end or run tasks never wait here: a thread inside a task's completion (callbacks on
 * its future, listeners, dependents' launches — on an executor's result thread or a local body's
 * thread) or inside a local task's body (e.g. a join app's function) submits without a permit when none
 * is free. Waiting there could stop the very thread that would free permits, so such tasks go over the
 * bound instead; they are few, as they are made by tasks that are themselves bounded.
 */
final class Admission {

    /*
     * The design, for a submitting thread that outruns the executor's threads (the usual case at the
     * bound: a loop of submits against two workers).
     *
     * Permits are two monotonic counts instead of one semaphore: `admitted`, written by submitting
     * threads only (alone on its cache line), and `released`, a StripedCount written by the threads that
     * end tasks (one cell per thread). Unfinished permit-holding tasks = admitted - released <= bound, always: a submitter
     * takes a permit by a compare-and-set of `admitted` after checking that bound against a value of
     * `released` that is never too high (the counts only grow, and a StripedCount's sum lies between its
     * values at the start and the end of the sum). A semaphore's single count would instead move its
     * cache line between the submitter and the workers twice per task.
     *
     * The submitter keeps the last `released` it read in `releasedSeen` (also on a line of its own)
     * and sums the StripedCount again only when that view says the bound is reached; so at a steady state
     * it reads the workers' cells about once per batch of permits freed meanwhile, not once per task.
     *
     * Waiting: a submitter that finds no room puts its thread in `waiters`, counts itself in
     * `waiting`, clears `wakePending`, looks for room again and otherwise parks. A releaser adds to
     * `released` and then reads `waiting`; only if someone waits, and no wake-up is pending yet, does it
     * unpark the waiters. Both sides write before they read (waiter: waiting and wakePending, then
     * released; releaser: released, then waiting and wakePending), all volatile, so either the waiter
     * sees the new permit or the releaser sees the waiter and unparks it (an unpark before the park
     * makes the park return at once): no wake-up is lost. The wake-up is still on the first permit
     * given back, as with a semaphore, but it costs one unpark per wait, not one per release while the
     * woken submitter is getting back on a core. A releaser never blocks: there is no lock that a
     * descheduled submitter could hold while the executor's threads wait for it.
     */

    private static final VarHandle WAKE_PENDING;

    static {
        try {
            WAKE_PENDING = MethodHandles.lookup().findVarHandle(Admission.class, "wakePending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Depth of "this thread ends or runs a task" (nested: a body's outcome completes its future on the same thread). */
    private static final ThreadLocal<int[]> INSIDE = ThreadLocal.withInitial(() -> new int[1]);

    private final int bound;
    private final boolean block;
    /** Permits taken, ever; written by submitting threads. */
    private final PaddedLong admitted = new PaddedLong();
    /** A recent value of {@link #released}, never above it; written by submitting threads. */
    private final PaddedLong releasedSeen = new PaddedLong();
    /** Permits given back, ever; written by the threads that end tasks. */
    private final StripedCount released = new StripedCount();
    /** The threads of the submitters waiting for room; unparked when a permit is given back, and at close. */
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    /** How many threads are in {@link #waiters}; read by every release, changed only when a submitter starts or stops waiting. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** A releaser has claimed the wake-up of the waiting submitters; cleared by a waiter before it looks for room. */
    @SuppressWarnings("unused") // accessed through WAKE_PENDING
    private volatile boolean wakePending;
    private volatile boolean closed;

    Admission(int bound, boolean block) {
        this.bound = bound;
        this.block = block;
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
        if (tryAdmit()) {
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
            return awaitRoom();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for room in " + owner + ", which holds its bound of " + bound
                    + " unfinished tasks (Config maxTasksInFlight)", e);
        }
    }

    /** Takes a permit if one is free. */
    private boolean tryAdmit() {
        while (true) {
            long taken = admitted.get();
            if (taken - releasedSeen.get() >= bound) {
                long back = released.sum();
                releasedSeen.set(back); // a racing submitter may store an older sum: only ever too low, so safe
                if (taken - back >= bound) {
                    return false;
                }
            }
            if (admitted.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /** Waits for a permit; {@code false} (no permit) once closed. */
    private boolean awaitRoom() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        waiters.add(me); // before it counts in `waiting`: a releaser that sees the count finds the thread
        waiting.incrementAndGet();
        try {
            while (!closed) {
                WAKE_PENDING.setVolatile(this, false); // before looking: a release from now on unparks again
                if (tryAdmit()) {
                    return true;
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return false;
        } finally {
            waiting.decrementAndGet();
            waiters.remove(me);
        }
    }

    /** Gives back a task's permit. */
    void release() {
        released.increment();
        if (waiting.get() != 0 && !wakePending && WAKE_PENDING.compareAndSet(this, false, true)) {
            unparkWaiters();
        }
    }

    private void unparkWaiters() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    /** Wakes every waiting submitter; each then finds its DataFlowKernel closed. */
    void close() {
        closed = true;
        unparkWaiters();
    }

    boolean isClosed() {
        return closed;
    }

    int bound() {
        return bound;
    }

    /** Submitters waiting for room now. */
    int waiting() {
        return waiting.get();
    }
}
