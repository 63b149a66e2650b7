package org.parsl.spring.boot.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ExecutorStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code parsl} health: UP while the DataFlowKernel runs and every executor can take work,
 * DOWN with a {@code reason} when the DataFlowKernel is closed or an executor reports a problem
 * ({@link ExecutorStatus#healthy()} false: e.g. its blocks keep failing to start, or it lost its
 * Hazelcast connection). An executor still scaling up from zero workers is healthy: work waits
 * for it. Details: the task counts, and per executor its type, state, workers, slots, blocks and
 * tasks.
 */
public class ParslHealthIndicator extends AbstractHealthIndicator {

    private final DataFlowKernel dfk;

    /** Health of this DataFlowKernel. */
    public ParslHealthIndicator(DataFlowKernel dfk) {
        super("Parsl health check failed");
        this.dfk = dfk;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<String> problems = new ArrayList<>();
        if (dfk.isClosed()) {
            problems.add("the DataFlowKernel is closed: it takes no new tasks");
        }
        Map<String, Object> executors = new LinkedHashMap<>();
        for (ExecutorStatus s : dfk.executorStatuses()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", s.type());
            d.put("state", s.healthy() ? "UP" : "DOWN");
            if (!s.healthy()) {
                String problem = s.problem() == null ? "not healthy" : s.problem();
                d.put("problem", problem);
                problems.add("executor '" + s.label() + "': " + problem);
            }
            d.put("connectedWorkers", s.connectedWorkers());
            d.put("slots", s.slots());
            d.put("busySlots", s.busySlots());
            d.put("activeBlocks", s.activeBlocks());
            d.put("tasksQueued", s.queued());
            d.put("tasksRunning", s.busySlots());
            executors.put(s.label(), d);
        }
        builder.status(problems.isEmpty() ? Status.UP : Status.DOWN);
        if (!problems.isEmpty()) {
            builder.withDetail("reason", String.join("; ", problems));
        }
        builder.withDetail("runId", dfk.runId())
                .withDetail("tasksPending", dfk.taskStateCount(TaskState.PENDING))
                .withDetail("tasksRunning", dfk.taskStateCount(TaskState.RUNNING))
                .withDetail("tasksInFlight", dfk.tasksInFlight())
                .withDetail("executors", executors);
    }
}
