package org.parsl.executors.hazelcast;

import java.util.Map;
import java.util.Optional;

/**
 * Where a task runs, readable by the task itself while it runs on a worker:
 * {@code WorkerContext.current().map(WorkerContext::workerId)}. Empty outside a worker task thread.
 */
public final class WorkerContext {

    private static final ThreadLocal<WorkerContext> CURRENT = new ThreadLocal<>();

    private final String workerId;
    private final int slot;
    private final String accelerator;
    private final Map<Class<?>, Object> services;

    WorkerContext(String workerId, int slot, String accelerator, Map<Class<?>, Object> services) {
        this.workerId = workerId;
        this.slot = slot;
        this.accelerator = accelerator;
        this.services = services;
    }

    /** The context of the task running on this thread, or empty when this is not a worker's task thread. */
    public static Optional<WorkerContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    static void set(WorkerContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }

    /** The worker's id. */
    public String workerId() {
        return workerId;
    }

    /** The task slot, from 0 to the worker's slots - 1. */
    public int slot() {
        return slot;
    }

    /** The accelerator pinned to this slot, if the worker has accelerators. */
    public Optional<String> accelerator() {
        return Optional.ofNullable(accelerator);
    }

    /** An object the worker offers its tasks ({@code HazelcastWorker.Builder#service}), if there is one of that type. */
    public <T> Optional<T> service(Class<T> type) {
        Object s = services.get(type);
        if (s == null) {
            for (Map.Entry<Class<?>, Object> e : services.entrySet()) {
                if (type.isAssignableFrom(e.getKey())) {
                    s = e.getValue();
                    break;
                }
            }
        }
        return Optional.ofNullable(type.cast(s));
    }

    @Override
    public String toString() {
        return "WorkerContext[" + workerId + ", slot " + slot + (accelerator == null ? "" : ", accelerator " + accelerator) + "]";
    }
}
