package org.parsl.executors.hazelcast;

/**
 * The failure of a try whose worker was lost (it died, stopped heartbeating for the heartbeat
 * threshold, or disconnected) while it held the task. The DataFlowKernel's retries re-run the task.
 */
public class WorkerLost extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String workerId;

    /**
     * @param workerId the lost worker
     * @param message what happened
     */
    public WorkerLost(String workerId, String message) {
        super(message);
        this.workerId = workerId;
    }

    /** The id of the lost worker. */
    public String workerId() {
        return workerId;
    }
}
