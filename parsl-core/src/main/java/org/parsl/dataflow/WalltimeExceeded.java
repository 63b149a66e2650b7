package org.parsl.dataflow;

import java.time.Duration;

/**
 * The failure of a try that ran longer than its task's walltime (Parsl's {@code AppTimeout}): the
 * DataFlowKernel cancelled it with interruption (a local thread is interrupted; a remote worker is
 * asked to interrupt it) and, if retries are left, launched the task again. The message names the
 * task and the limit, e.g. {@code task 12 (f) exceeded its walltime of PT1S}.
 */
public class WalltimeExceeded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final Duration walltime;

    /**
     * @param taskId the task whose try ran too long
     * @param functionName its function's name
     * @param walltime the limit it exceeded
     */
    public WalltimeExceeded(long taskId, String functionName, Duration walltime) {
        super("task " + taskId + " (" + functionName + ") exceeded its walltime of " + walltime);
        this.taskId = taskId;
        this.walltime = walltime;
    }

    /**
     * The task's id.
     *
     * @return the id within its DataFlowKernel
     */
    public long taskId() {
        return taskId;
    }

    /**
     * The limit the try exceeded.
     *
     * @return the task's walltime
     */
    public Duration walltime() {
        return walltime;
    }
}
