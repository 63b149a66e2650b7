package org.parsl.spring.boot.autoconfigure;

import java.util.concurrent.Callable;

/**
 * Finds the {@link ParslAsyncInvoker} of the application a {@link RemoteBeanCall} runs in: on a
 * Hazelcast worker, the one the worker registered as a service; for an executor that runs calls in
 * some other way, the one it set with {@link #callWith}.
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
        throw new IllegalStateException("no ParslAsyncInvoker on this thread: an @Async call sent to a worker must run on a "
                + "worker of the same Spring Boot application started in worker mode (parsl.worker.enabled=true)");
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
