package org.parsl.spring.boot.autoconfigure;

/** The pools of a worker: what stands on a worker for each executor label (its own thread pools). */
final class WorkerPools {

    private WorkerPools() {
    }

    /**
     * Threads of the worker-local thread pool that stands for an executor on a worker: a thread-pool
     * executor keeps its {@code max-threads}; a Hazelcast executor gets the worker's task slots.
     */
    static int localThreads(ParslProperties properties, ParslProperties.Executor executor) {
        if (executor.getType() == ParslProperties.ExecutorType.THREAD_POOL) {
            return executor.getMaxThreads();
        }
        Integer slots = properties.getWorker().getSlots();
        if (slots == null) {
            slots = executor.getMaxWorkersPerNode();
        }
        return slots != null && slots > 0 ? slots : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
