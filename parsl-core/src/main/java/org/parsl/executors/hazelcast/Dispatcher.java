package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstanceNotActiveException;

/**
 * Moves submitted tries to the label's task queue. One thread, {@code parsl-<label>-dispatcher}: it
 * sends what is waiting at once, and whatever arrives while a send is in flight goes in the next one
 * (no timed wait), packed into frames of up to {@code tasksPerFrame} tasks — so a lone task costs one
 * frame and a burst costs few Hazelcast calls. Each distinct function is serialized once.
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_DRAIN = 8_192;
    private static final int MAX_FRAME_BYTES = 512 * 1024;

    private final String label;
    private final String runId;
    private final String channel;
    private final Frames frames;
    private final IQueue<byte[]> queue;
    private final TaskBatch.SerializedFunctions functions;
    private final IntSupplier tasksPerFrame;
    private final LinkedBlockingQueue<Try> outbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    Dispatcher(String label, String runId, Frames frames, IQueue<byte[]> queue, TaskBatch.SerializedFunctions functions,
            IntSupplier tasksPerFrame) {
        this.label = label;
        this.runId = runId;
        this.channel = Channels.taskQueue(label);
        this.frames = frames;
        this.queue = queue;
        this.functions = functions;
        this.tasksPerFrame = tasksPerFrame;
        this.thread = new Thread(this::run, "parsl-" + label + "-dispatcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a try for sending; never blocks. */
    void send(Try t) {
        outbox.add(t);
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void run() {
        List<Try> batch = new ArrayList<>();
        List<byte[]> items = new ArrayList<>();
        List<Try> sent = new ArrayList<>();
        try {
            while (!stopped) {
                batch.add(outbox.take());
                outbox.drainTo(batch, MAX_DRAIN - 1);
                int perFrame = Math.max(1, tasksPerFrame.getAsInt());
                TaskBatch.Writer w = null;
                long now = System.nanoTime();
                for (Try t : batch) {
                    if (t.isEnded()) {
                        continue; // cancelled before it was sent
                    }
                    if (w == null) {
                        w = new TaskBatch.Writer(runId);
                    }
                    t.dispatchedNanos = now; // from here on, a cancellation is sent to the workers too
                    try {
                        w.add(t.taskId, t.tryNumber, t.task.functionName(), t.task.body(), functions);
                    } catch (IOException | RuntimeException e) {
                        t.fail(new IllegalArgumentException("task " + t.taskId + " (" + t.task.functionName() + ") cannot be sent to executor '"
                                + label + "': its function or an argument is not serializable (" + e + "); pass serializable arguments", e));
                        continue;
                    }
                    sent.add(t);
                    if (w.count() >= perFrame || w.bytes() >= MAX_FRAME_BYTES) {
                        items.add(frames.seal(Frames.TASKS, channel, w.finish()));
                        w = null;
                    }
                }
                if (w != null && w.count() > 0) {
                    items.add(frames.seal(Frames.TASKS, channel, w.finish()));
                }
                try {
                    if (items.size() == 1) {
                        queue.add(items.get(0));
                    } else if (!items.isEmpty()) {
                        queue.addAll(items);
                    }
                } catch (HazelcastInstanceNotActiveException e) {
                    return;
                } catch (RuntimeException e) {
                    if (stopped) {
                        return;
                    }
                    log.warn("executor '{}': could not queue {} tasks: {}", label, sent.size(), e.toString());
                    for (Try t : sent) {
                        t.fail(new IllegalStateException("could not queue task " + t.taskId + " on executor '" + label + "': " + e, e));
                    }
                }
                batch.clear();
                items.clear();
                sent.clear();
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }
}
