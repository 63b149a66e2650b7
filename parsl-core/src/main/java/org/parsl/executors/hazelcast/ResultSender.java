package org.parsl.executors.hazelcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

import com.hazelcast.core.HazelcastInstance;

/**
 * A worker's way back to the DataFlowKernels: results and failures in {@link Frames#RESULTS} frames,
 * one per DataFlowKernel and send. Nothing waits on a timer: the slot that produced a result sends it
 * at once when no send is in flight; what arrives while one is, goes in the next send, made by the
 * sender thread {@code parsl-worker-sender} — so a lone result costs no hand-over and a burst costs
 * one frame per round trip. Acknowledgements (a task was taken) are not urgent: they ride along with
 * the next send, or go on their own after {@code ackDelay}, so a short task costs one record, not two.
 */
final class ResultSender {

    private static final Logger log = LoggerFactory.getLogger(ResultSender.class);
    private static final int MAX_RECORDS = 4_096;
    private static final int MAX_ATTEMPTS = 3;

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
    private final HazelcastInstance hz;
    private final ScheduledExecutorService scheduler;
    private final long ackDelayMillis;
    private final ConcurrentLinkedQueue<Outgoing> urgent = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Outgoing> acks = new ConcurrentHashMap<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean ackFlushScheduled = new AtomicBoolean();
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stopped;

    ResultSender(String workerId, Frames frames, HazelcastInstance hz, ScheduledExecutorService scheduler, long ackDelayMillis) {
        this.workerId = workerId;
        this.frames = frames;
        this.hz = hz;
        this.scheduler = scheduler;
        this.ackDelayMillis = ackDelayMillis;
        this.thread = new Thread(this::run, "parsl-worker-sender");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A task was taken; acknowledged with the next send, at the latest after the ack delay. */
    void taken(String label, TaskBatch.Task t) {
        acks.put(t.key(), new Outgoing(t.runId(), label, Frames.TAKEN, t.taskId(), t.tryNumber(), null, 0));
        if (ackFlushScheduled.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> {
                    ackFlushScheduled.set(false);
                    if (!acks.isEmpty()) {
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
        acks.remove(t.key()); // the result says it was taken
        urgent.add(new Outgoing(t.runId(), label, kind, t.taskId(), t.tryNumber(), payload, 0));
        sendNowOrHandOver();
    }

    private void sendNowOrHandOver() {
        if (sending.compareAndSet(false, true)) {
            try {
                sendOnce();
            } finally {
                sending.set(false);
            }
            if (!urgent.isEmpty()) {
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
            while (!urgent.isEmpty() || !acks.isEmpty()) {
                if (!sending.compareAndSet(false, true)) {
                    break; // a slot is sending; it will hand over again if needed
                }
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
        Map<String, List<Outgoing>> byRun = new LinkedHashMap<>();
        for (Outgoing x : batch) {
            byRun.computeIfAbsent(x.runId() + '\n' + x.label(), k -> new ArrayList<>()).add(x);
        }
        for (List<Outgoing> records : byRun.values()) {
            Outgoing first = records.get(0);
            ResultBatch.Writer w = new ResultBatch.Writer(first.label(), workerId);
            for (Outgoing r : records) {
                w.add(r.kind(), r.taskId(), r.tryNumber(), r.payload());
            }
            String channel = Channels.resultQueue(first.runId());
            try {
                hz.<byte[]>getQueue(channel).add(frames.seal(Frames.RESULTS, channel, w.finish()));
            } catch (RuntimeException e) {
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
