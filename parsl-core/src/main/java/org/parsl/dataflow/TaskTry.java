package org.parsl.dataflow;

import java.time.Duration;

/**
 * One try of a task: where it ran and how it ended. Times are {@link System#nanoTime()} readings
 * (0 when the step did not happen).
 *
 * @param number the try number, from 0
 * @param executor the executor's label
 * @param worker the worker that ran it, or {@code null} for a local executor
 * @param launchedNanos when it was handed to the executor
 * @param startedNanos when it started running (0 if it never did)
 * @param endedNanos when it ended (0 while running)
 * @param failure its failure, or {@code null} if it succeeded or has not ended
 */
public record TaskTry(int number, String executor, String worker, long launchedNanos, long startedNanos,
        long endedNanos, Throwable failure) {

    /** Time from launch to start (queue wait), or zero if it never started. */
    public Duration queueWait() {
        return startedNanos == 0 ? Duration.ZERO : Duration.ofNanos(startedNanos - launchedNanos);
    }

    /** Time from start to end (execution), or zero if it did not both start and end. */
    public Duration runTime() {
        return startedNanos == 0 || endedNanos == 0 ? Duration.ZERO : Duration.ofNanos(endedNanos - startedNanos);
    }
}
