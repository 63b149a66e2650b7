package org.parsl.dataflow;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one DataFlowKernel's walltimes: one daemon thread, {@code parsl-walltime}, for all of
 * them (started on the first try with a walltime), never a thread per task. A timer is cancelled, and
 * removed at once, when its try ends in time. An expired timer fails its try on this thread.
 */
final class Walltimes {

    private ScheduledThreadPoolExecutor timers;
    private boolean stopped;

    /** Runs {@code expired} after the walltime, unless cancelled first; null once stopped. */
    synchronized ScheduledFuture<?> schedule(Duration walltime, Runnable expired) {
        if (stopped) {
            return null;
        }
        if (timers == null) {
            timers = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "parsl-walltime");
                t.setDaemon(true);
                return t;
            });
            timers.setRemoveOnCancelPolicy(true);
            timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        try {
            return timers.schedule(expired, walltime.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    synchronized void stop() {
        stopped = true;
        if (timers != null) {
            timers.shutdownNow();
        }
    }
}
