package org.parsl.spring.boot.autoconfigure.actuate;

import java.util.concurrent.atomic.AtomicReference;

import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;
import org.parsl.executors.ThreadPoolExecutor;

/**
 * A thread-pool executor that a test can break: once {@link #breakWith(String)} is called its
 * status reports the problem and it fails every new try, as a broken distributed executor would.
 */
final class BreakableExecutor implements ParslExecutor {

    private final ThreadPoolExecutor threads;
    private final AtomicReference<String> problem = new AtomicReference<>();

    BreakableExecutor(String label, int maxThreads) {
        this.threads = new ThreadPoolExecutor(label, maxThreads);
    }

    private volatile boolean noWorkers;

    void breakWith(String why) {
        problem.set(why);
    }

    /** Reports no connected workers (yet), healthy, as a pool scaling up from zero does. */
    void reportNoWorkers() {
        noWorkers = true;
    }

    @Override
    public String label() {
        return threads.label();
    }

    @Override
    public RunningExecutor start(ExecutorContext context) {
        RunningExecutor delegate = threads.start(context);
        return new RunningExecutor() {
            @Override
            public String label() {
                return delegate.label();
            }

            @Override
            public TaskHandle submit(ExecutorTask task) {
                String why = problem.get();
                if (why != null) {
                    task.failed(new IllegalStateException("executor '" + label() + "' is broken: " + why));
                    return mayInterrupt -> false;
                }
                return delegate.submit(task);
            }

            @Override
            public ExecutorStatus status() {
                ExecutorStatus s = delegate.status();
                String why = problem.get();
                if (why == null && noWorkers) {
                    return new ExecutorStatus(s.label(), "breakable", true, null, 0, 0, 0, 0, s.queued(), s.workers(),
                            s.settings());
                }
                return why == null ? s : new ExecutorStatus(s.label(), "breakable", false, why, 0, 0, 0, 0, s.queued(),
                        s.workers(), s.settings());
            }

            @Override
            public void shutdown() {
                delegate.shutdown();
            }
        };
    }
}
