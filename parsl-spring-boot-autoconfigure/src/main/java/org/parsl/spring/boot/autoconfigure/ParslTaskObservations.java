package org.parsl.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.parsl.dataflow.TaskListener;
import org.parsl.dataflow.TaskRecord;
import org.parsl.dataflow.TaskState;

/**
 * Makes every task of a DataFlowKernel a Micrometer {@link Observation} named {@value #NAME}: started
 * when the task is submitted (on the submitting thread, so the caller's current observation is its
 * parent), stopped when the task reaches a final state; low-cardinality keys {@code executor} and
 * {@code outcome} ({@code success}, {@code failed}, {@code dep_fail}, {@code memo_done},
 * {@code cancelled}), high-cardinality {@code parsl.task.id} and {@code parsl.function}. Its context
 * is a {@link SenderContext} whose carrier is a string map: a tracing handler puts the trace's
 * propagation headers there, and {@code @Async} calls carry them to the worker, which continues the
 * trace ({@link ParslAsyncInvoker}). With Boot's metrics, the same observation gives the timer
 * {@code parsl.task} (submit to end) and the long task timer {@code parsl.task.active}.
 */
final class ParslTaskObservations implements TaskListener {

    /** The observation's name. */
    static final String NAME = "parsl.task";

    /** The observation (and trace span) a worker makes around a call it runs. */
    static final String RUN_NAME = "parsl.task.run";

    /** Set by the {@code @Async} dispatcher around a submit: the task's context is handed to it here. */
    private static final ThreadLocal<TaskContext[]> SUBMITTING = new ThreadLocal<>();

    private final ObservationRegistry registry;
    private final Map<Long, Observation> observations = new ConcurrentHashMap<>();

    ParslTaskObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** The observation's context of a task: the propagation headers of its trace are in {@link #getCarrier()}. */
    static final class TaskContext extends SenderContext<Map<String, String>> {
        private Observation observation;

        TaskContext() {
            super((carrier, key, value) -> carrier.put(key, value), Kind.PRODUCER);
            setCarrier(new LinkedHashMap<>());
            setRemoteServiceName("parsl");
        }

        /** The task's observation, to open its scope where the task runs. */
        Observation observation() {
            return observation;
        }
    }

    /**
     * Runs the submit, handing the context of the task it submits (if it is observed) to {@code holder[0]}.
     */
    static <T> T submitting(TaskContext[] holder, java.util.function.Supplier<T> submit) {
        TaskContext[] previous = SUBMITTING.get();
        SUBMITTING.set(holder);
        try {
            return submit.get();
        } finally {
            if (previous == null) {
                SUBMITTING.remove();
            } else {
                SUBMITTING.set(previous);
            }
        }
    }

    @Override
    public void stateChanged(TaskRecord task, TaskState from, TaskState to) {
        if (from == null) {
            TaskContext context = new TaskContext();
            Observation observation = Observation.createNotStarted(NAME, () -> context, registry)
                    .contextualName(NAME + " " + task.functionName())
                    .lowCardinalityKeyValue("executor", "none")
                    .highCardinalityKeyValue("parsl.task.id", Long.toString(task.id()))
                    .highCardinalityKeyValue("parsl.function", task.functionName());
            context.observation = observation;
            observation.start();
            observations.put(task.id(), observation);
            TaskContext[] holder = SUBMITTING.get();
            if (holder != null) {
                holder[0] = context;
                SUBMITTING.remove(); // one submit, one task
            }
            return;
        }
        Observation observation = observations.get(task.id());
        if (observation == null) {
            return;
        }
        if (task.executor() != null) {
            observation.lowCardinalityKeyValue(KeyValue.of("executor", task.executor()));
        }
        if (to.isFinal()) {
            observations.remove(task.id());
            observation.lowCardinalityKeyValue("outcome", outcome(to));
            Throwable failure = failure(task);
            if (failure != null && to == TaskState.FAILED) {
                observation.error(failure);
            }
            observation.stop();
        }
    }

    private static Throwable failure(TaskRecord task) {
        var tries = task.tries();
        return tries.isEmpty() ? null : tries.get(tries.size() - 1).failure();
    }

    static String outcome(TaskState state) {
        return switch (state) {
            case EXEC_DONE -> "success";
            case FAILED -> "failed";
            case DEP_FAIL -> "dep_fail";
            case MEMO_DONE -> "memo_done";
            case CANCELLED -> "cancelled";
            default -> state.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
