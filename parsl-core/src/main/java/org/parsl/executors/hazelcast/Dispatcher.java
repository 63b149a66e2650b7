package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
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
    /** AES-GCM in the JDK runs at GB/s up to tens of KB a message and far slower beyond: frames stay small. */
    static final int MAX_FRAME_BYTES = 32 * 1024;
    /** Sends closer together than this are a burst: they go to the dispatcher thread, to be batched. */
    private static final long BURST_GAP_NANOS = 50_000;

    private final String label;
    private final String runId;
    private final String channel;
    private final Frames frames;
    private final IQueue<byte[]> queue;
    private final TaskBatch.SerializedFunctions functions;
    private final IntSupplier tasksPerFrame;
    private final LinkedBlockingQueue<Try> outbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile long lastSendEnd;
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

    /**
     * Sends a try: at once on the calling thread when the line is idle (no send in flight and none
     * just finished — a lone task, a dependent launched from a result, a sequential caller), else
     * queued for the dispatcher thread, which batches what accumulates while it sends (a burst).
     * Blocks at most for one send; never when called from an interrupted thread or one of Hazelcast's.
     */
    void send(Try t) {
        Thread caller = Thread.currentThread();
        if (System.nanoTime() - lastSendEnd > BURST_GAP_NANOS && outbox.isEmpty() && !caller.isInterrupted()
                && !caller.getName().startsWith("hz.") // never a blocking Hazelcast call on one of Hazelcast's own threads
                && sendLock.tryLock()) {
            try {
                List<Try> one = new ArrayList<>(1);
                one.add(t);
                sendBatch(one);
            } finally {
                lastSendEnd = System.nanoTime();
                sendLock.unlock();
            }
            return;
        }
        outbox.add(t);
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void run() {
        List<Try> batch = new ArrayList<>();
        try {
            while (!stopped) {
                batch.add(outbox.take());
                outbox.drainTo(batch, MAX_DRAIN - 1);
                sendLock.lock();
                try {
                    sendBatch(batch);
                } finally {
                    lastSendEnd = System.nanoTime();
                    sendLock.unlock();
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** Encodes, seals and queues a batch of tries (the caller holds the send lock). */
    private void sendBatch(List<Try> batch) {
        List<byte[]> items = new ArrayList<>();
        List<Try> sent = new ArrayList<>();
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
        if (items.isEmpty()) {
            return;
        }
        try {
            if (items.size() == 1) {
                queue.add(items.get(0));
            } else {
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
            return;
        }
    }
}
