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
     * @param failure the first dependency's failure; if that was itself a {@code DependencyError}, its
     *        cause is taken instead, so the cause is always the original failure (and a failure at the
     *        head of a long chain does not build a chain of causes as long as the chain)
     */
    public DependencyError(List<Long> failedTaskIds, long taskId, Throwable failure) {
        this(failedTaskIds, taskId, rootOf(failure), true);
    }

    private DependencyError(List<Long> failedTaskIds, long taskId, Throwable root, boolean unused) {
        super("task " + taskId + " was not run: dependencies " + failedTaskIds + " failed"
                + (root == null ? "" : " (first failure: " + root.getClass().getName()
                        + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")"), root);
        this.failedTaskIds = List.copyOf(failedTaskIds);
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while (t instanceof DependencyError && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The ids of the dependencies that failed or were cancelled ({@code -1} for a future that is not a task's). */
    public List<Long> failedTaskIds() {
        return failedTaskIds;
    }
}
