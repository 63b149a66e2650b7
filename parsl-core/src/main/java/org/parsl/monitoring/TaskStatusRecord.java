package org.parsl.monitoring;

import java.time.Instant;

import org.parsl.dataflow.TaskState;

/**
 * A task changed state.
 *
 * @param sequence the record's number in its store
 * @param time when
 * @param taskId the task's id
 * @param function the task's function name
 * @param executor the executor of the task's latest try, or {@code null} before its first launch
 * @param from the state it left, or {@code null} when it was submitted
 * @param to the state it entered
 */
public record TaskStatusRecord(long sequence, Instant time, long taskId, String function, String executor,
        TaskState from, TaskState to) implements MonitoringRecord {
}
