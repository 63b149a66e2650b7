package org.parsl.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskListener;
import org.parsl.dataflow.TaskRecord;
import org.parsl.dataflow.TaskState;
import org.parsl.dataflow.TaskTry;
import org.parsl.executors.ExecutorStatus;

/**
 * Micrometer meters of one DataFlowKernel, tagged by executor. Bind it to a registry (Spring Boot
 * does that for a {@code MeterBinder} bean); {@link #close()} it to stop counting and remove its
 * meters.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code parsl.tasks.submitted}</td><td>counter</td><td>executor</td>
 *     <td>tasks handed to an executor (first launch), plus tasks that ended without ever being launched</td></tr>
 * <tr><td>{@code parsl.tasks.completed}</td><td>counter</td><td>executor, outcome</td>
 *     <td>tasks that reached a final state; outcome = success, failed, dep_fail, memo_done, cancelled</td></tr>
 * <tr><td>{@code parsl.tasks.retries}</td><td>counter</td><td>executor</td>
 *     <td>re-launches after a failed try; tagged with the executor of the failed try</td></tr>
 * <tr><td>{@code parsl.task.duration}</td><td>timer</td><td>executor, outcome</td>
 *     <td>run time of each try that started and ended (outcome success or failed)</td></tr>
 * <tr><td>{@code parsl.task.queue.wait}</td><td>timer</td><td>executor</td>
 *     <td>time from launch to start of each try that started</td></tr>
 * <tr><td>{@code parsl.tasks.pending}</td><td>gauge</td><td>none</td>
 *     <td>tasks waiting for dependencies (they have no executor yet)</td></tr>
 * <tr><td>{@code parsl.tasks.running}</td><td>gauge</td><td>executor</td><td>tasks of this DataFlowKernel running now</td></tr>
 * <tr><td>{@code parsl.workers.connected}</td><td>gauge</td><td>executor</td><td>connected workers (threads of a thread pool)</td></tr>
 * <tr><td>{@code parsl.workers.slots}</td><td>gauge</td><td>executor</td><td>task slots of the connected workers</td></tr>
 * <tr><td>{@code parsl.blocks.active}</td><td>gauge</td><td>executor</td><td>provider blocks running</td></tr>
 * </table>
 *
 * <p>The executor tag of a task that never reached an executor (its dependency failed, or it was
 * cancelled while pending) is the DataFlowKernel's only executor when it has exactly one, else
 * {@value #NO_EXECUTOR}. Timers publish a percentile histogram and the 0.5, 0.95 and 0.99
 * percentiles.
 *
 * <p>Cost: the per-task path looks up cached counters and timers by executor label (one map read)
 * and allocates nothing; worker gauges read a snapshot of the executors' statuses that is at most
 * {@value #STATUS_MAX_AGE_MILLIS} ms old. Thread-safe.
 */
public final class ParslMetrics implements MeterBinder, AutoCloseable {

    /** The executor tag of tasks that never reached an executor, when there is more than one. */
    public static final String NO_EXECUTOR = "none";

    static final long STATUS_MAX_AGE_MILLIS = 500;
    private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
    private static final TaskState[] STATES = TaskState.values();

    private final DataFlowKernel dfk;
    private final String fallbackExecutor;
    private final Map<String, LongAdder> running = new ConcurrentHashMap<>();
    private final Listener listener = new Listener();
    private volatile Bound[] bound = new Bound[0];
    private volatile StatusSnapshot statuses = new StatusSnapshot(Map.of(), 0);
    private boolean listening;
    private boolean closed;

    /**
     * Meters for this DataFlowKernel. Nothing is counted until the first {@link #bindTo}.
     *
     * @throws IllegalArgumentException if dfk is null
     */
    public ParslMetrics(DataFlowKernel dfk) {
        if (dfk == null) {
            throw new IllegalArgumentException("dfk is null: pass the DataFlowKernel to measure");
        }
        this.dfk = dfk;
        this.fallbackExecutor = dfk.executorLabels().size() == 1 ? dfk.executorLabels().iterator().next() : NO_EXECUTOR;
        for (String label : dfk.executorLabels()) {
            running.put(label, new LongAdder());
        }
    }

    /** Registers this DataFlowKernel's meters in the registry, and starts counting on the first call. */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (closed) {
            throw new IllegalStateException("ParslMetrics of " + dfk + " is closed: make a new one to bind");
        }
        Bound b = new Bound(registry);
        List<Meter> meters = b.gauges;
        meters.add(Gauge.builder("parsl.tasks.pending", this, m -> m.dfk.taskStateCount(TaskState.PENDING))
                .description("Tasks waiting for their dependencies").strongReference(true).register(registry));
        for (String label : dfk.executorLabels()) {
            Tags tags = Tags.of("executor", label);
            LongAdder runningNow = running.get(label);
            meters.add(Gauge.builder("parsl.tasks.running", runningNow, r -> Math.max(0, r.sum())).tags(tags)
                    .description("Tasks of this DataFlowKernel running now").strongReference(true).register(registry));
            meters.add(Gauge.builder("parsl.workers.connected", this, m -> m.status(label).connectedWorkers()).tags(tags)
                    .description("Connected workers (threads of a thread pool)").strongReference(true).register(registry));
            meters.add(Gauge.builder("parsl.workers.slots", this, m -> m.status(label).slots()).tags(tags)
                    .description("Task slots of the connected workers").strongReference(true).register(registry));
            meters.add(Gauge.builder("parsl.blocks.active", this, m -> m.status(label).activeBlocks()).tags(tags)
                    .description("Provider blocks running").strongReference(true).register(registry));
            b.meters(label); // counters and timers appear at 0 before the first task
        }
        b.meters(fallbackExecutor);
        Bound[] old = bound;
        Bound[] copy = Arrays.copyOf(old, old.length + 1);
        copy[old.length] = b;
        bound = copy;
        if (!listening) {
            dfk.addListener(listener);
            listening = true;
        }
    }

    /** Stops counting and removes every meter this registered. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dfk.removeListener(listener);
        Bound[] all = bound;
        bound = new Bound[0];
        for (Bound b : all) {
            b.removeAll();
        }
    }

    // --- executor statuses, cached briefly so that one scrape asks each executor once

    private ExecutorStatus status(String label) {
        StatusSnapshot s = statuses;
        long now = System.nanoTime();
        if (s.takenNanos == 0 || now - s.takenNanos > TimeUnit.MILLISECONDS.toNanos(STATUS_MAX_AGE_MILLIS)) {
            Map<String, ExecutorStatus> byLabel = new ConcurrentHashMap<>();
            for (ExecutorStatus st : dfk.executorStatuses()) {
                byLabel.put(st.label(), st);
            }
            s = new StatusSnapshot(byLabel, now);
            statuses = s;
        }
        ExecutorStatus st = s.byLabel.get(label);
        return st != null ? st : new ExecutorStatus(label, "unknown", false, "no status", 0, 0, 0, 0, 0, List.of(), Map.of());
    }

    private record StatusSnapshot(Map<String, ExecutorStatus> byLabel, long takenNanos) {
    }

    // --- the per-task path

    private String executorOf(TaskRecord task) {
        String e = task.executor();
        return e != null ? e : fallbackExecutor;
    }

    /** The executor of the latest try that ended: the one a retry is retrying. */
    private String failedTryExecutor(TaskRecord task) {
        List<TaskTry> tries = task.tries();
        for (int i = tries.size() - 1; i >= 0; i--) {
            if (tries.get(i).endedNanos() != 0) {
                return tries.get(i).executor();
            }
        }
        return executorOf(task);
    }

    private LongAdder runningOf(String label) {
        LongAdder r = running.get(label);
        return r != null ? r : running.computeIfAbsent(label, l -> new LongAdder());
    }

    private final class Listener implements TaskListener {

        @Override
        public void stateChanged(TaskRecord task, TaskState from, TaskState to) {
            if (from == null) {
                return; // submitted: counted when launched, or when it ends without a launch
            }
            Bound[] bs = bound;
            if (to == TaskState.LAUNCHED) {
                if (from == TaskState.PENDING) {
                    String label = executorOf(task);
                    for (Bound b : bs) {
                        b.meters(label).submitted.increment();
                    }
                } else {
                    String failedOn = failedTryExecutor(task);
                    if (from == TaskState.RUNNING) {
                        runningOf(failedOn).decrement();
                    }
                    for (Bound b : bs) {
                        b.meters(failedOn).retries.increment();
                    }
                }
                return;
            }
            if (to == TaskState.RUNNING) {
                runningOf(executorOf(task)).increment();
                return;
            }
            if (from == TaskState.RUNNING) {
                runningOf(executorOf(task)).decrement();
            }
            if (to.isFinal()) {
                String label = executorOf(task);
                for (Bound b : bs) {
                    ExecutorMeters m = b.meters(label);
                    if (from == TaskState.PENDING) {
                        m.submitted.increment();
                    }
                    m.completed[to.ordinal()].increment();
                }
            }
        }

        @Override
        public void tryEnded(TaskRecord task, TaskTry attempt) {
            if (attempt.startedNanos() == 0) {
                return;
            }
            long wait = attempt.startedNanos() - attempt.launchedNanos();
            long run = attempt.endedNanos() - attempt.startedNanos();
            boolean ok = attempt.failure() == null;
            for (Bound b : bound) {
                ExecutorMeters m = b.meters(attempt.executor());
                m.queueWait.record(Math.max(0, wait), TimeUnit.NANOSECONDS);
                (ok ? m.durationSuccess : m.durationFailed).record(Math.max(0, run), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The meters of one registry. */
    private static final class Bound {
        final MeterRegistry registry;
        final Map<String, ExecutorMeters> byExecutor = new ConcurrentHashMap<>();
        final List<Meter> gauges = new ArrayList<>();

        Bound(MeterRegistry registry) {
            this.registry = registry;
        }

        ExecutorMeters meters(String label) {
            ExecutorMeters m = byExecutor.get(label);
            return m != null ? m : byExecutor.computeIfAbsent(label, l -> new ExecutorMeters(registry, l));
        }

        void removeAll() {
            for (Meter m : gauges) {
                registry.remove(m);
            }
            for (ExecutorMeters m : byExecutor.values()) {
                m.all().forEach(registry::remove);
            }
        }
    }

    /** The counters and timers of one executor in one registry. */
    private static final class ExecutorMeters {
        final Counter submitted;
        final Counter retries;
        final Counter[] completed = new Counter[STATES.length];
        final Timer durationSuccess;
        final Timer durationFailed;
        final Timer queueWait;

        ExecutorMeters(MeterRegistry registry, String label) {
            Tags tags = Tags.of("executor", label);
            submitted = Counter.builder("parsl.tasks.submitted").tags(tags)
                    .description("Tasks handed to an executor, or ended without one").register(registry);
            retries = Counter.builder("parsl.tasks.retries").tags(tags)
                    .description("Re-launches after a failed try, by the executor of the failed try").register(registry);
            for (TaskState s : STATES) {
                if (s.isFinal()) {
                    completed[s.ordinal()] = Counter.builder("parsl.tasks.completed").tags(tags).tag("outcome", outcome(s))
                            .description("Tasks that reached a final state").register(registry);
                }
            }
            durationSuccess = timer("parsl.task.duration", tags.and("outcome", "success"), "Run time of a try", registry);
            durationFailed = timer("parsl.task.duration", tags.and("outcome", "failed"), "Run time of a try", registry);
            queueWait = timer("parsl.task.queue.wait", tags, "Time from launch to start of a try", registry);
        }

        private static Timer timer(String name, Tags tags, String description, MeterRegistry registry) {
            return Timer.builder(name).tags(tags).description(description)
                    .publishPercentiles(PERCENTILES).publishPercentileHistogram().register(registry);
        }

        List<Meter> all() {
            List<Meter> list = new ArrayList<>(List.of(submitted, retries, durationSuccess, durationFailed, queueWait));
            for (Counter c : completed) {
                if (c != null) {
                    list.add(c);
                }
            }
            return list;
        }
    }

    /** The {@code outcome} tag of a final state. */
    static String outcome(TaskState state) {
        return switch (state) {
            case EXEC_DONE -> "success";
            case FAILED -> "failed";
            case DEP_FAIL -> "dep_fail";
            case MEMO_DONE -> "memo_done";
            case CANCELLED -> "cancelled";
            default -> throw new IllegalArgumentException(state + " is not a final state");
        };
    }
}
