package org.parsl.dataflow;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memo table (Parsl's Memoizer): results of successful tasks of apps that asked for caching,
 * keyed by function and resolved arguments. Lives as long as its DataFlowKernel.
 */
final class Memoizer {

    private final Map<Key, Object> results = new ConcurrentHashMap<>();

    /** The memoized result, or {@code NONE}. */
    Object lookup(Task task) {
        return results.getOrDefault(keyOf(task), NONE);
    }

    void store(Task task, Object result) {
        results.put(keyOf(task), result == null ? NULL : result);
    }

    static Object unwrap(Object stored) {
        return stored == NULL ? null : stored;
    }

    int size() {
        return results.size();
    }

    private static Key keyOf(Task task) {
        return new Key(task.spec.function().getClass().getName(), task.resolvedArgs);
    }

    static final Object NONE = new Object();
    private static final Object NULL = new Object();

    private record Key(String function, Object[] args) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.function.equals(function) && Arrays.deepEquals(k.args, args);
        }

        @Override
        public int hashCode() {
            return 31 * function.hashCode() + Arrays.deepHashCode(args);
        }
    }
}
