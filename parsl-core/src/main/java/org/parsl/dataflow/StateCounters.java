package org.parsl.dataflow;

import java.util.EnumMap;
import java.util.Map;

/**
 * Task counts per state: for each final state, how many tasks ever reached it (cumulative, as in
 * Parsl, so counts survive forgetting finished tasks); for each non-final state, how many tasks are in
 * it now, counted on demand over the records of the unfinished tasks.
 *
 * <p>Why the non-final states are not counters: a task passes through three of them (pending,
 * launched, running), and keeping counts would cost six counter updates per task, spread over the
 * submitting thread and the executor's threads. On a machine with few cores a {@code LongAdder} has
 * as few cells as cores, so those updates bounce cache lines between the submitter and the workers —
 * in JFR they were the largest single cost of a no-op task. Reading the states of the unfinished
 * tasks instead costs one pass over at most the tasks in flight (bounded by
 * {@code Config.maxTasksInFlight}), paid only by whoever asks — monitoring, not the hot path. The
 * hot path pays one increment per task, when it reaches its final state.
 *
 * <p>Thread safety: lock-free; a snapshot taken while tasks move may be off by the tasks moving.
 */
final class StateCounters {

    private final StripedCount[] finals = new StripedCount[TaskState.values().length];
    private final TaskRegistry unfinished;

    /** @param unfinished the records of the unfinished tasks */
    StateCounters(TaskRegistry unfinished) {
        this.unfinished = unfinished;
        for (TaskState s : TaskState.values()) {
            if (s.isFinal()) {
                finals[s.ordinal()] = new StripedCount();
            }
        }
    }

    /** A task moved to {@code to}; counted if it is a final state (a task reaches one once). */
    void moved(TaskState to) {
        StripedCount reached = finals[to.ordinal()];
        if (reached != null) {
            reached.increment();
        }
    }

    long get(TaskState state) {
        StripedCount reached = finals[state.ordinal()];
        if (reached != null) {
            return reached.sum();
        }
        long n = 0;
        for (Task t : unfinished.snapshot()) {
            if (t.state() == state) {
                n++;
            }
        }
        return n;
    }

    Map<TaskState, Long> snapshot() {
        long[] now = new long[finals.length];
        for (Task t : unfinished.snapshot()) {
            now[t.state().ordinal()]++; // a task that became final meanwhile is counted below instead
        }
        Map<TaskState, Long> map = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            StripedCount reached = finals[s.ordinal()];
            map.put(s, reached != null ? reached.sum() : now[s.ordinal()]);
        }
        return map;
    }
}
