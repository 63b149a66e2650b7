package org.parsl.dataflow;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free task counts per state: tasks in each non-final state now, and tasks that ever reached
 * each final state (cumulative, as in Parsl), so counts survive forgetting finished tasks.
 */
final class StateCounters {

    private final LongAdder[] counts = new LongAdder[TaskState.values().length];

    StateCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void moved(TaskState from, TaskState to) {
        if (from != null && !from.isFinal()) {
            counts[from.ordinal()].decrement();
        }
        counts[to.ordinal()].increment();
    }

    long get(TaskState state) {
        return counts[state.ordinal()].sum();
    }

    Map<TaskState, Long> snapshot() {
        Map<TaskState, Long> map = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            map.put(s, Math.max(0L, counts[s.ordinal()].sum()));
        }
        return map;
    }
}
