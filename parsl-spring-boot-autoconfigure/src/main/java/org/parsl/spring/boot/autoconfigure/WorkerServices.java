package org.parsl.spring.boot.autoconfigure;

/** Finds this worker's {@link ParslAsyncInvoker} while a task runs on a worker thread. */
final class WorkerServices {

    private WorkerServices() {
    }

    static ParslAsyncInvoker invoker() {
        throw new IllegalStateException("no ParslAsyncInvoker on this thread: an @Async call sent to a worker must run on a "
                + "worker started in worker mode (parsl.worker.enabled=true) of the same application");
    }
}
