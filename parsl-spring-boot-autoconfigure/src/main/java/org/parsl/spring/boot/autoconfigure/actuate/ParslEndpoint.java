package org.parsl.spring.boot.autoconfigure.actuate;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ExecutorStatus;
import org.parsl.monitoring.MonitoringRecord;
import org.parsl.monitoring.MonitoringStore;
import org.parsl.monitoring.TaskFailure;
import org.parsl.monitoring.TaskStatusRecord;
import org.parsl.spring.boot.autoconfigure.Credentials;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The read-only {@code parsl} actuator endpoint.
 * <ul>
 * <li>{@code GET /actuator/parsl}: the DataFlowKernel's run, task counts by state, every executor
 * with its settings, state and workers, and the most recent failed tasks ({@link Descriptor}).</li>
 * <li>{@code GET /actuator/parsl/{taskId}}: the monitoring records still held of one task (its
 * state changes and tries), or 404 when none are held ({@link TaskDescriptor}).</li>
 * </ul>
 */
@Endpoint(id = "parsl")
public class ParslEndpoint {

    private final DataFlowKernel dfk;
    private final MonitoringStore store;
    private final List<SanitizingFunction> sanitizers;

    /**
     * @param dfk the DataFlowKernel to show
     * @param store its monitoring records, or {@code null} when monitoring is off (then no failures
     *        and no task records are shown)
     */
    public ParslEndpoint(DataFlowKernel dfk, MonitoringStore store) {
        this(dfk, store, List.of());
    }

    /**
     * @param dfk the DataFlowKernel to show
     * @param store its monitoring records, or {@code null} when monitoring is off
     * @param sanitizers applied to every executor setting after the built-in masking
     */
    public ParslEndpoint(DataFlowKernel dfk, MonitoringStore store, List<SanitizingFunction> sanitizers) {
        this.dfk = dfk;
        this.store = store;
        this.sanitizers = List.copyOf(sanitizers);
    }

    /** Everything at once. */
    @ReadOperation
    public Descriptor parsl() {
        Map<String, Long> tasks = new LinkedHashMap<>();
        dfk.taskStateCounts().forEach((state, count) -> tasks.put(state.name().toLowerCase(Locale.ROOT), count));
        Map<String, ExecutorDescriptor> executors = new LinkedHashMap<>();
        for (ExecutorStatus s : dfk.executorStatuses()) {
            executors.put(s.label(), ExecutorDescriptor.of(s, sanitize(s.settings())));
        }
        MonitoringDescriptor monitoring = store == null ? null
                : new MonitoringDescriptor(store.recordCount(), store.capacity(), store.failureCount(),
                        store.jsonLinesFile().map(Path::toString).orElse(null));
        return new Descriptor(dfk.runId(), dfk.runDir().toString(), dfk.isClosed(), dfk.tasksInFlight(), tasks,
                executors, store == null ? List.of() : store.recentFailures(), monitoring);
    }

    private Map<String, Object> sanitize(Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            SanitizableData data = new SanitizableData(null, key, mask(key, value));
            for (SanitizingFunction f : sanitizers) {
                data = f.applyUnlessFiltered(data);
            }
            out.put(key, data.getValue());
        });
        return out;
    }

    private static Object mask(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (Credentials.isCredentialName(key)) {
            return SanitizableData.SANITIZED_VALUE;
        }
        if (value instanceof String text) {
            return Credentials.maskSystemProperties(text);
        }
        if (value instanceof java.util.Collection<?> list) {
            return list.stream().map(v -> v instanceof String t ? Credentials.maskSystemProperties(t) : v).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> nested = new LinkedHashMap<>();
            map.forEach((k, v) -> nested.put(String.valueOf(k), mask(String.valueOf(k), v)));
            return nested;
        }
        return value;
    }

    /** One task's monitoring records; {@code null} (HTTP 404) when none are held. */
    @ReadOperation
    public TaskDescriptor task(@Selector long taskId) {
        if (store == null) {
            return null;
        }
        List<MonitoringRecord> records = store.records(taskId);
        if (records.isEmpty()) {
            return null;
        }
        MonitoringRecord last = records.get(records.size() - 1);
        TaskState state = null;
        for (MonitoringRecord r : records) {
            if (r instanceof TaskStatusRecord s) {
                state = s.to();
            }
        }
        return new TaskDescriptor(taskId, last.function(), state, records);
    }

    /**
     * The body of {@code GET /actuator/parsl}.
     *
     * @param runId the DataFlowKernel's run id
     * @param runDir its run directory
     * @param closed whether it is closed (takes no new tasks)
     * @param tasksInFlight tasks submitted and not yet final
     * @param tasks task counts by state in lower case ({@code pending}, {@code launched},
     *        {@code running}, {@code joining}: tasks in that state now; {@code exec_done},
     *        {@code failed}, {@code dep_fail}, {@code memo_done}, {@code cancelled}: tasks that
     *        reached it since the start)
     * @param executors every executor by label, in config order
     * @param recentFailures the most recent failed tasks ({@code FAILED} or {@code DEP_FAIL}), newest first
     * @param monitoring what the monitoring store holds, or {@code null} when monitoring is off
     */
    public record Descriptor(String runId, String runDir, boolean closed, int tasksInFlight, Map<String, Long> tasks,
            Map<String, ExecutorDescriptor> executors, List<TaskFailure> recentFailures, MonitoringDescriptor monitoring) {
    }

    /**
     * One executor.
     *
     * @param type {@code thread-pool}, {@code hazelcast}, ...
     * @param healthy whether it can take work
     * @param problem why not, or {@code null}
     * @param connectedWorkers workers connected (threads of a thread pool)
     * @param slots task slots in all
     * @param busySlots slots running a task now
     * @param activeBlocks provider blocks running
     * @param queued tries queued on it, not yet started
     * @param settings its settings
     * @param workers its workers (empty for a thread pool)
     */
    public record ExecutorDescriptor(String type, boolean healthy, String problem, int connectedWorkers, int slots,
            int busySlots, int activeBlocks, long queued, Map<String, Object> settings, List<WorkerDescriptor> workers) {

        static ExecutorDescriptor of(ExecutorStatus s, Map<String, Object> settings) {
            List<WorkerDescriptor> workers = new ArrayList<>(s.workers().size());
            for (ExecutorStatus.WorkerInfo w : s.workers()) {
                workers.add(new WorkerDescriptor(w.id(), w.host(), w.slots(), w.busySlots(),
                        w.lastHeartbeatMillis() == 0 ? null : Instant.ofEpochMilli(w.lastHeartbeatMillis())));
            }
            return new ExecutorDescriptor(s.type(), s.healthy(), s.problem(), s.connectedWorkers(), s.slots(),
                    s.busySlots(), s.activeBlocks(), s.queued(), settings, workers);
        }
    }

    /**
     * One worker.
     *
     * @param id its id
     * @param host where it runs
     * @param slots its task slots
     * @param busySlots slots running a task now
     * @param lastHeartbeat when its last heartbeat arrived, or {@code null} if none yet
     */
    public record WorkerDescriptor(String id, String host, int slots, int busySlots, Instant lastHeartbeat) {
    }

    /**
     * What the monitoring store holds.
     *
     * @param records records ever made (the last {@code capacity} are held)
     * @param capacity records held at most
     * @param failures failed tasks ever recorded
     * @param file the JSON-lines file records are appended to, or {@code null}
     */
    public record MonitoringDescriptor(long records, int capacity, long failures, String file) {
    }

    /**
     * The body of {@code GET /actuator/parsl/{taskId}}.
     *
     * @param taskId the task's id
     * @param function its function name
     * @param state its latest state among the records held
     * @param records its state changes and tries, oldest first; each has a {@code kind},
     *        {@code status} or {@code try}
     */
    public record TaskDescriptor(long taskId, String function, TaskState state, List<MonitoringRecord> records) {
    }
}
