package org.parsl.spring.boot.autoconfigure;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.parsl.executors.hazelcast.WorkerContext;

/**
 * Finds the {@link ParslAsyncInvoker} of the application a {@link RemoteBeanCall} runs in: on a
 * Hazelcast worker, the one the worker registered as a service ({@link ParslWorkerLifecycle}); for an
 * executor that runs calls in some other way, the one it set with {@link #callWith}.
 */
final class WorkerServices {

    private static final ThreadLocal<ParslAsyncInvoker> CURRENT = new ThreadLocal<>();

    private WorkerServices() {
    }

    static ParslAsyncInvoker invoker() {
        ParslAsyncInvoker invoker = CURRENT.get();
        if (invoker != null) {
            return invoker;
        }
        Optional<ParslAsyncInvoker> service = WorkerContext.current().flatMap(c -> c.service(ParslAsyncInvoker.class));
        return service.orElseThrow(() -> new IllegalStateException("no ParslAsyncInvoker on this worker: an @Async call sent to a "
                + "worker must run on a worker of the same Spring Boot application started in worker mode "
                + "(parsl.worker.enabled=true), not on a plain worker"));
    }

    /** Runs the body with the invoker as this thread's. */
    static <T> T callWith(ParslAsyncInvoker invoker, Callable<T> body) throws Exception {
        ParslAsyncInvoker previous = CURRENT.get();
        CURRENT.set(invoker);
        try {
            return body.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
