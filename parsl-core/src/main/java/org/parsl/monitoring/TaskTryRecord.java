package org.parsl.monitoring;

import java.time.Duration;
import java.time.Instant;

/**
 * A try of a task ended.
 *
 * @param sequence the record's number in its store
 * @param time when it ended
 * @param taskId the task's id
 * @param function the task's function name
 * @param tryNumber the try's number, from 0
 * @param executor the executor it ran on
 * @param worker the worker that ran it, or {@code null} for a local executor
 * @param queueWait time from launch to start (zero if it never started)
 * @param runTime time from start to end (zero if it never started)
 * @param exception the failure's class name, or {@code null} if the try succeeded
 * @param message the failure's message, or {@code null}
 */
public record TaskTryRecord(long sequence, Instant time, long taskId, String function, int tryNumber, String executor,
        String worker, Duration queueWait, Duration runTime, String exception, String message)
        implements MonitoringRecord {
}
