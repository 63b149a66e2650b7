package org.parsl.executors;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of an executor's state, for health, metrics and the actuator endpoint.
 *
 * @param label the executor's label
 * @param type its type, e.g. {@code thread-pool} or {@code hazelcast}
 * @param healthy whether it can take work now (a pool scaling up from zero workers is healthy)
 * @param problem why it is not healthy, or {@code null}
 * @param connectedWorkers workers (threads for a thread pool, worker JVMs for Hazelcast)
 * @param slots task slots in all
 * @param busySlots slots running a task now
 * @param activeBlocks provider blocks running (0 without a provider)
 * @param queued tries queued on the executor, not yet started
 * @param workers the connected workers, in no particular order
 * @param settings the executor's settings, for display
 */
public record ExecutorStatus(String label, String type, boolean healthy, String problem,
        int connectedWorkers, int slots, int busySlots, int activeBlocks, long queued,
        List<WorkerInfo> workers, Map<String, Object> settings) {

    /**
     * One connected worker.
     *
     * @param id the worker's id
     * @param host where it runs
     * @param slots its task slots
     * @param busySlots slots running a task now
     * @param lastHeartbeatMillis epoch millis of its last heartbeat
     */
    public record WorkerInfo(String id, String host, int slots, int busySlots, long lastHeartbeatMillis) {
    }
}
