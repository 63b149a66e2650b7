package org.parsl.spring.boot.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.parsl.app.TaskCallable;
import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;

/**
 * A stand-in for a distributed executor: every body is Java-serialized and deserialized (as it would
 * be on its way to a worker) and then run on a thread of this JVM with the given invoker as the
 * "worker's" — so the remote {@code @Async} path runs without worker processes.
 */
final class SerializingExecutor implements ParslExecutor {

    private final String label;
    private final Supplier<ParslAsyncInvoker> workerInvoker;

    SerializingExecutor(String label, Supplier<ParslAsyncInvoker> workerInvoker) {
        this.label = label;
        this.workerInvoker = workerInvoker;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public RunningExecutor start(ExecutorContext context) {
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-worker-" + label);
            t.setDaemon(true);
            return t;
        });
        return new RunningExecutor() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public TaskHandle submit(ExecutorTask task) {
                Future<?> f = threads.submit(() -> {
                    try {
                        TaskCallable<?> body = roundTrip(task.body());
                        if (task.markRunning("fake-worker")) {
                            task.succeeded(WorkerServices.callWith(workerInvoker.get(), body));
                        }
                    } catch (Throwable e) {
                        task.failed(e);
                    }
                });
                return f::cancel;
            }

            @Override
            public ExecutorStatus status() {
                return new ExecutorStatus(label, "fake", true, null, 1, 2, 0, 0, 0, List.of(), Map.of());
            }

            @Override
            public void shutdown() {
                threads.shutdownNow();
            }
        };
    }

    static TaskCallable<?> roundTrip(TaskCallable<?> body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(body);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (TaskCallable<?>) in.readObject();
        }
    }
}
