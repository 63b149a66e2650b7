package org.parsl.dataflow;

import java.util.List;

/**
 * A task was not run because one or more of its dependencies failed or was cancelled.
 * The first failed dependency's exception is the cause; the others are suppressed.
 */
public class DependencyError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Long> failedTaskIds;

    /**
     * @param failedTaskIds the ids of the failed dependencies (tasks of this DataFlowKernel)
     * @param taskId the task that was not run
     * @param cause the first failure
     */
    public DependencyError(List<Long> failedTaskIds, long taskId, Throwable cause) {
        super("task " + taskId + " was not run: dependencies " + failedTaskIds + " failed"
                + (cause == null ? "" : " (first failure: " + cause + ")"), cause);
        this.failedTaskIds = List.copyOf(failedTaskIds);
    }

    /** The ids of the dependencies that failed or were cancelled ({@code -1} for a future that is not a task's). */
    public List<Long> failedTaskIds() {
        return failedTaskIds;
    }
}
