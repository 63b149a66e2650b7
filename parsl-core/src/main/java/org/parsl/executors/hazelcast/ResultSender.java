package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A worker's way back to the DataFlowKernels: results and failures in {@link Frames#RESULTS} frames,
 * one per DataFlowKernel and send, written on the link the tasks came on ({@link KernelLinks}). Nothing waits on a timer: the slot that produced a result sends it
 * at once when no send is in flight; what arrives while one is, goes in the next send, made by the
 * sender thread {@code parsl-worker-sender} — so a lone result costs no hand-over and a burst costs
 * one frame per round trip. Acknowledgements (a task was taken) are not urgent: they ride along with
 * the next send, or go on their own after {@code ackDelay}, so a short task costs one record, not two.
 */
final class ResultSender {

    private static final Logger log = LoggerFactory.getLogger(ResultSender.class);
    private static final int MAX_RECORDS = 4_096;
    private static final int MAX_ATTEMPTS = 3;
    private static final int MAX_TARGETS = 64;
    /** Results a busy worker holds back at most before it sends them (see {@link #report}). */
    static final int HOLD_AT_MOST = 32;

    /** One record to send. */
    record Outgoing(String runId, String label, byte kind, long taskId, int tryNumber, byte[] payload, int attempt) {
        String key() {
            return Frames.key(runId, taskId, tryNumber);
        }

        Outgoing retry() {
            return new Outgoing(runId, label, kind, taskId, tryNumber, payload, attempt + 1);
        }
    }

    private final String workerId;
    private final Frames frames;
    private volatile KernelLinks links;
    private final ScheduledExecutorService scheduler;
    private final long ackDelayMillis;
    private final ConcurrentLinkedQueue<Outgoing> urgent = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Outgoing> acks = new ConcurrentHashMap<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean ackFlushScheduled = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    /** Result channels by run id; guarded by {@link #sending}. */
    private final Map<String, String> channels = new HashMap<>();
    private volatile boolean stopped;

    ResultSender(String workerId, Frames frames, ScheduledExecutorService scheduler, long ackDelayMillis) {
        this.workerId = workerId;
        this.frames = frames;
        this.scheduler = scheduler;
        this.ackDelayMillis = ackDelayMillis;
        this.thread = new Thread(this::run, "parsl-worker-sender");
        this.thread.setDaemon(true);
    }

    /** Starts sending on these links. */
    void start(KernelLinks links) {
        this.links = links;
        thread.start();
    }

    /** A task was taken; acknowledged with the next send, at the latest after the ack delay. */
    void taken(String label, TaskBatch.Task t) {
        acks.put(t.key(), new Outgoing(t.runId(), label, Frames.TAKEN, t.taskId(), t.tryNumber(), null, 0));
        flushLater();
    }

    /** Sends what waits (acknowledgements, held results) after the ack delay, unless a send takes them first. */
    private void flushLater() {
        if (ackFlushScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> {
                    ackFlushScheduled.set(false);
                    if (!acks.isEmpty() || !urgent.isEmpty()) {
                        sendNowOrHandOver();
                    }
                }, ackDelayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                ackFlushScheduled.set(false);
                sendNowOrHandOver();
            }
        }
    }

    /** A result (the encoded value) or failure (the encoded error) to send now. */
    void report(String label, TaskBatch.Task t, byte kind, byte[] payload) {
        report(label, t, kind, payload, false);
    }

    /**
     * A result or failure to send. Sent at once — unless {@code busy}: the worker has more tasks of its
     * executors waiting to start, so nobody waits for this one result to send it more work or to go
     * on (the worker is not idle), and it rides with the next ones: up to {@link #HOLD_AT_MOST} results
     * go in one frame, and none is held longer than the ack delay. Under a stream of short tasks this
     * makes one frame, one seal and one write per batch instead of per task; an idle worker's result
     * (a lone task, a sequential caller, a chain) still goes at once.
     */
    void report(String label, TaskBatch.Task t, byte kind, byte[] payload, boolean busy) {
        acks.remove(t.key()); // the result says it was taken
        urgent.add(new Outgoing(t.runId(), label, kind, t.taskId(), t.tryNumber(), payload, 0));
        if (busy && held.incrementAndGet() < HOLD_AT_MOST) {
            flushLater();
            return;
        }
        held.set(0);
        sendNowOrHandOver();
    }

    private void sendNowOrHandOver() {
        if (sending.compareAndSet(false, true)) {
            try {
                sendOnce();
            } finally {
                sending.set(false);
            }
            if (!urgent.isEmpty() || !acks.isEmpty()) {
                wake.release(); // more came meanwhile: the sender thread takes over, the slot goes back to work
            }
        } else {
            wake.release();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                wake.acquire();
            } catch (InterruptedException e) {
                return;
            }
            wake.drainPermits();
            // If a slot holds the line, it looks again after its send and wakes this thread if anything
            // is left (sendNowOrHandOver), so giving up here loses nothing and never spins.
            while ((!urgent.isEmpty() || !acks.isEmpty()) && sending.compareAndSet(false, true)) {
                try {
                    sendOnce();
                } finally {
                    sending.set(false);
                }
            }
        }
    }

    /** Whether nothing is waiting to be sent. */
    boolean idle() {
        return urgent.isEmpty() && acks.isEmpty() && !sending.get();
    }

    /** Sends what is waiting now (the caller holds {@link #sending}). */
    private void sendOnce() {
        List<Outgoing> batch = new ArrayList<>();
        Outgoing o;
        while (batch.size() < MAX_RECORDS && (o = urgent.poll()) != null) {
            batch.add(o);
        }
        for (String key : acks.keySet()) {
            Outgoing a = acks.remove(key);
            if (a != null) {
                batch.add(a);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        // Records go to their DataFlowKernel's result queue, grouped by run and label (nearly always one group).
        List<List<Outgoing>> groups = new ArrayList<>(1);
        for (Outgoing x : batch) {
            List<Outgoing> group = null;
            for (List<Outgoing> g : groups) {
                Outgoing head = g.get(0);
                if (head.runId().equals(x.runId()) && head.label().equals(x.label())) {
                    group = g;
                    break;
                }
            }
            if (group == null) {
                group = new ArrayList<>();
                groups.add(group);
            }
            group.add(x);
        }
        if (links == null) {
            return; // never started: nobody to send to
        }
        for (List<Outgoing> records : groups) {
            Outgoing first = records.get(0);
            String channel = channel(first.runId());
            List<byte[]> sealed = new ArrayList<>();
            ResultBatch.Writer w = new ResultBatch.Writer(first.label(), workerId);
            for (Outgoing r : records) {
                w.add(r.kind(), r.taskId(), r.tryNumber(), r.payload());
                if (w.bytes() >= Dispatcher.MAX_FRAME_BYTES) {
                    sealed.add(frames.seal(Frames.RESULTS, channel, w.finish()));
                    w = new ResultBatch.Writer(first.label(), workerId);
                }
            }
            if (w.count() > 0) {
                sealed.add(frames.seal(Frames.RESULTS, channel, w.finish()));
            }
            try {
                links.send(first.label(), first.runId(), sealed);
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                int retried = 0;
                for (Outgoing r : records) {
                    if (r.kind() != Frames.TAKEN && r.attempt() + 1 < MAX_ATTEMPTS) {
                        urgent.add(r.retry());
                        retried++;
                    }
                }
                log.warn("worker {}: could not send {} records to run {} ({}); {} will be sent again", workerId, records.size(),
                        first.runId(), e.toString(), retried);
            }
        }
    }

    /** The channel of a run's result frames; only the thread holding {@link #sending} calls it. */
    private String channel(String runId) {
        String c = channels.get(runId);
        if (c == null) {
            if (channels.size() >= MAX_TARGETS) {
                channels.clear(); // runs come and go
            }
            c = Channels.resultQueue(runId);
            channels.put(runId, c);
        }
        return c;
    }

    /** Sends everything still waiting, from the calling thread, then stops the sender thread. */
    void close() {
        for (int i = 0; i < MAX_ATTEMPTS && (!urgent.isEmpty() || !acks.isEmpty()); i++) {
            while (!sending.compareAndSet(false, true)) {
                Thread.onSpinWait();
            }
            try {
                sendOnce();
            } finally {
                sending.set(false);
            }
        }
        stopped = true;
        thread.interrupt();
    }
}
