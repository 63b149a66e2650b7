package org.parsl.spring.boot.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ExecutorStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The health of one executor of a DataFlowKernel ({@code /actuator/health/parsl/<label>}): UP while it
 * can take work, DOWN with a {@code reason} when the executor reports a problem
 * ({@link ExecutorStatus#healthy()} false: e.g. its blocks keep failing to start, or it lost its
 * Hazelcast connection) or the DataFlowKernel is closed. An executor still scaling up from zero workers
 * is UP: work waits for it. Details: its type, workers, slots, blocks and tasks.
 */
public class ParslExecutorHealthIndicator extends AbstractHealthIndicator {

    private final DataFlowKernel dfk;
    private final String label;

    /** Health of the executor {@code label} of this DataFlowKernel. */
    public ParslExecutorHealthIndicator(DataFlowKernel dfk, String label) {
        super("Parsl health check of executor '" + label + "' failed");
        this.dfk = dfk;
        this.label = label;
    }

    /**
     * The {@code parsl} contributor: one {@link ParslExecutorHealthIndicator} per executor of the
     * DataFlowKernel, in config order, DOWN when any of them is.
     */
    public static CompositeHealthContributor of(DataFlowKernel dfk) {
        Map<String, HealthContributor> executors = new LinkedHashMap<>();
        for (String label : dfk.executorLabels()) {
            executors.put(label, new ParslExecutorHealthIndicator(dfk, label));
        }
        return CompositeHealthContributor.fromMap(executors);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ExecutorStatus s = dfk.executorStatuses().stream().filter(e -> e.label().equals(label)).findFirst().orElse(null);
        if (s == null) {
            builder.down().withDetail("reason", "executor '" + label + "' is not configured");
            return;
        }
        if (dfk.isClosed()) {
            builder.down().withDetail("reason", "the DataFlowKernel is closed: it takes no new tasks");
        } else if (!s.healthy()) {
            builder.down().withDetail("reason", s.problem() == null ? "not healthy" : s.problem());
        } else {
            builder.up();
        }
        builder.withDetail("type", s.type())
                .withDetail("connectedWorkers", s.connectedWorkers())
                .withDetail("slots", s.slots())
                .withDetail("busySlots", s.busySlots())
                .withDetail("activeBlocks", s.activeBlocks())
                .withDetail("tasksQueued", s.queued())
                .withDetail("tasksRunning", s.busySlots());
    }
}
