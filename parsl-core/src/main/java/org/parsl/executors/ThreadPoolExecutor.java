package org.parsl.executors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on threads of this JVM (Parsl's {@code ThreadPoolExecutor}): up to {@code maxThreads}
 * tasks at once, on daemon threads named {@code parsl-<label>-worker-N}; the rest wait in an
 * unbounded FIFO queue. Cancelling a running task interrupts its thread.
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

    /** A try on a local thread; FutureTask gives safe cancel-with-interrupt. */
    private static final class LocalTry extends FutureTask<Object> implements TaskHandle {
        private final ExecutorTask task;

        @SuppressWarnings("unchecked")
        LocalTry(ExecutorTask task) {
            super((java.util.concurrent.Callable<Object>) task.body());
            this.task = task;
        }

        @Override
        public void run() {
            if (isDone() || !task.markRunning(null)) {
                return;
            }
            try {
                super.run(); // returns at once if cancelled after markRunning: the body never runs
            } finally {
                task.bodyEnded();
            }
        }

        @Override
        protected void set(Object v) {
            super.set(v);
            task.succeeded(v);
        }

        @Override
        protected void setException(Throwable t) {
            super.setException(t);
            task.failed(t);
        }
    }
}
