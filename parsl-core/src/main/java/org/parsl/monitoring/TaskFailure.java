package org.parsl.monitoring;

import java.time.Instant;

import org.parsl.dataflow.TaskState;

/**
 * A task that ended in {@link TaskState#FAILED} or {@link TaskState#DEP_FAIL}.
 *
 * @param time when it ended
 * @param taskId the task's id
 * @param function the task's function name
 * @param executor the executor of its latest try, or {@code null} if it never launched
 * @param state {@code FAILED} or {@code DEP_FAIL}
 * @param tries how many tries it had
 * @param exception the class name of the exception its future fails with: its last try's failure,
 *        {@code org.parsl.dataflow.DependencyError} for {@code DEP_FAIL}, or {@code null} if it
 *        failed before it could be launched (the future holds the cause)
 * @param message the exception's message, or {@code null}
 */
public record TaskFailure(Instant time, long taskId, String function, String executor, TaskState state, int tries,
        String exception, String message) {
}
