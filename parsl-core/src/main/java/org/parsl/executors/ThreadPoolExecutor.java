package org.parsl.executors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs tasks on threads of this JVM (Parsl's {@code ThreadPoolExecutor}): up to {@code maxThreads}
 * tasks at once, on daemon threads named {@code parsl-<label>-worker-N}, all started with the executor;
 * the rest wait in an unbounded FIFO queue. Cancelling a running task interrupts its thread.
 *
 * <p>It {@linkplain RunningExecutor#reportsBodyEnds() reports body ends}: every try that started
 * reports {@link ExecutorTask#bodyEnded()} on its own thread once the body has returned or thrown
 * (after the outcome), also when the try was cancelled while it ran. Stopping the executor
 * interrupts the running bodies; each reports its end when it returns.
 */
public final class ThreadPoolExecutor implements ParslExecutor {

    private final String label;
    private final int maxThreads;

    /**
     * @param label the executor's label
     * @param maxThreads how many tasks run at once; at least 1
     * @throws IllegalArgumentException for a blank label or {@code maxThreads < 1}
     */
    public ThreadPoolExecutor(String label, int maxThreads) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("executor label is blank: give the thread-pool executor a name such as 'cpu'");
        }
        if (maxThreads < 1) {
            throw new IllegalArgumentException("max-threads of executor '" + label + "' is " + maxThreads + ": it must be at least 1");
        }
        this.label = label;
        this.maxThreads = maxThreads;
    }

    @Override
    public String label() {
        return label;
    }

    /**
     * How many tasks run at once.
     *
     * @return at least 1
     */
    public int maxThreads() {
        return maxThreads;
    }

    @Override
    public RunningExecutor start(ExecutorContext context) {
        return new Running(label, maxThreads);
    }

    @Override
    public String toString() {
        return "ThreadPoolExecutor[" + label + ", maxThreads=" + maxThreads + "]";
    }

    private static final class Running implements RunningExecutor {
        private final String label;
        private final int maxThreads;
        private final java.util.concurrent.ThreadPoolExecutor pool;

        Running(String label, int maxThreads) {
            this.label = label;
            this.maxThreads = maxThreads;
            AtomicInteger n = new AtomicInteger();
            this.pool = new java.util.concurrent.ThreadPoolExecutor(maxThreads, maxThreads, 0L, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "parsl-" + label + "-worker-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            // Every thread now, not one per submit until maxThreads: a new executor's first submits would
            // otherwise take a branch of the JDK pool's execute that the compiled submit path (into which
            // it is inlined) has not seen since the first executor, and the JIT would discard that path.
            pool.prestartAllCoreThreads();
            // The JDK pool counts a thread as active until it has entered its run loop (its lock is held
            // from creation until then), so status() would report tasks running that nobody submitted.
            // Nothing is queued yet: every thread reaches its idle wait and the count falls to zero.
            while (pool.getActiveCount() > 0) {
                LockSupport.parkNanos(20_000L);
            }
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public TaskHandle submit(ExecutorTask task) {
            LocalTry t = new LocalTry(task);
            try {
                pool.execute(t);
            } catch (RejectedExecutionException e) {
                task.failed(new RejectedExecutionException("executor '" + label + "' is shut down"));
            }
            return t;
        }

        @Override
        public boolean reportsBodyEnds() {
            return true;
        }

        @Override
        public ExecutorStatus status() {
            boolean up = !pool.isShutdown();
            // The JDK pool's count of threads running a try: no per-task counter of our own, whose
            // cache line the worker threads would pass between them twice per task.
            return new ExecutorStatus(label, "thread-pool", up, up ? null : "shut down", maxThreads, maxThreads,
                    pool.getActiveCount(), 0, pool.getQueue().size(), List.of(), Map.of("max-threads", maxThreads));
        }

        @Override
        public void shutdown() {
            pool.shutdownNow();
        }
    }

    /**
     * A try on a local thread: what a {@code FutureTask} gives for it — a queued try never starts once
     * cancelled, a running one may be interrupted, and an interrupt never reaches the thread after the
     * try has left it — without what the try does not need (a result to store, waiters to wake, a
     * volatile store in the constructor, a compare-and-set of the runner): the outcome goes to the
     * {@link ExecutorTask}, and the DataFlowKernel completes the task's future.
     */
    private static final class LocalTry implements Runnable, TaskHandle {

        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(LocalTry.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Queued (the initial value, so the constructor stores nothing volatile). */
        private static final int NEW = 0;
        /** The body runs on {@link #runner}. */
        private static final int RUNNING = 1;
        /** The body has returned or thrown, and can no longer be interrupted by a cancel. */
        private static final int DONE = 2;
        /** Cancelled: before it ran (it never will), or while it ran without interruption. */
        private static final int CANCELLED = 3;
        /** A cancel is interrupting the running body; the runner waits for it before it leaves. */
        private static final int INTERRUPTING = 4;
        /** Cancelled, and the running body was interrupted. */
        private static final int INTERRUPTED = 5;

        private final ExecutorTask task;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;
        /** Written before the compare-and-set to RUNNING, so a cancel that sees RUNNING sees it. */
        private Thread runner;

        LocalTry(ExecutorTask task) {
            this.task = task;
        }

        @Override
        public void run() {
            if ((int) STATE.getVolatile(this) != NEW || !task.markRunning(null)) {
                return;
            }
            try {
                runner = Thread.currentThread();
                if (!STATE.compareAndSet(this, NEW, RUNNING)) {
                    return; // cancelled after markRunning: the body never runs
                }
                Object result;
                try {
                    result = task.body().call();
                } catch (Throwable t) {
                    leave();
                    task.failed(t);
                    return;
                }
                leave();
                task.succeeded(result);
            } finally {
                task.bodyEnded();
            }
        }

        /** The body has ended: from now on no cancel interrupts this thread (waits for one under way). */
        private void leave() {
            if (!STATE.compareAndSet(this, RUNNING, DONE)) {
                while ((int) STATE.getVolatile(this) == INTERRUPTING) {
                    Thread.yield(); // the cancelling thread is between its compare-and-set and its interrupt
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (STATE.compareAndSet(this, NEW, CANCELLED)) {
                return true;
            }
            if (!mayInterruptIfRunning) {
                return STATE.compareAndSet(this, RUNNING, CANCELLED);
            }
            if (!STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                return false;
            }
            try {
                runner.interrupt();
            } finally {
                STATE.setVolatile(this, INTERRUPTED);
            }
            return true;
        }
    }
}
