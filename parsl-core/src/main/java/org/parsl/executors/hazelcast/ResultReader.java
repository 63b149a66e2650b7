package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstanceNotActiveException;

/**
 * Reads this run's result queue and reports each try's outcome to the DataFlowKernel. One thread,
 * {@code parsl-<label>-results}, which is also where this executor's futures complete: a dependent
 * task is launched on it (its launch only queues the task for the dispatcher, so reading never waits
 * on Hazelcast), and callbacks that user code attaches with the non-async {@code CompletionStage}
 * methods run on it too — they must not block. A frame that does not authenticate, or is malformed,
 * is dropped and counted; the thread goes on.
 */
final class ResultReader {

    private static final Logger log = LoggerFactory.getLogger(ResultReader.class);

    private final String label;
    private final String channel;
    private final Frames frames;
    private final IQueue<Object> queue;
    private final InFlight inFlight;
    private final WorkerRegistry workers;
    private final Allowlist allowlist;
    private final Nonces nonces = new Nonces(65_536);
    private final Thread thread;
    private volatile boolean stopped;

    ResultReader(String label, String runId, Frames frames, IQueue<Object> queue, InFlight inFlight, WorkerRegistry workers,
            Allowlist allowlist) {
        this.label = label;
        this.channel = Channels.resultQueue(runId);
        this.frames = frames;
        this.queue = queue;
        this.inFlight = inFlight;
        this.workers = workers;
        this.allowlist = allowlist;
        this.thread = new Thread(this::run, "parsl-" + label + "-results");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void run() {
        List<Object> items = new ArrayList<>();
        while (!stopped) {
            try {
                // One frame per call: a frame already carries a batch, and a drain issued after each
                // frame would hold the partition thread just when the next task is being queued.
                // A wait of at least 1.5 s keeps the parked poll out of Hazelcast's expiry queue (see Slots.TAKE_WAIT_MILLIS).
                Object first = queue.poll(Slots.TAKE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                items.add(first);
            } catch (InterruptedException | HazelcastInstanceNotActiveException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                log.warn("executor '{}': reading results failed; retrying: {}", label, e.toString());
                continue;
            }
            for (Object item : items) {
                try {
                    handle(item);
                } catch (RuntimeException | LinkageError e) {
                    log.warn("executor '{}': a result frame could not be handled: {}", label, e.toString());
                }
            }
            items.clear();
        }
    }

    void handle(Object item) {
        Frames.Opened opened = frames.open(item, Frames.RESULTS, channel);
        if (opened == null) {
            log.debug("executor '{}': dropped an item of its result queue that is not an authentic result frame", label);
            return;
        }
        if (!nonces.firstTime(opened.nonce())) {
            frames.countDropped(); // this very frame came before: a replay
            return;
        }
        ResultBatch.Batch batch;
        try {
            batch = ResultBatch.read(opened);
        } catch (IOException e) {
            frames.countDropped();
            log.warn("executor '{}': dropped a malformed result frame: {}", label, e.toString());
            return;
        }
        if (!label.equals(batch.label())) {
            frames.countDropped();
            return;
        }
        String worker = batch.workerId();
        for (ResultBatch.Record r : batch.records()) {
            Try t = inFlight.get(r.taskId(), r.tryNumber());
            if (t == null) {
                Try cancelled = r.kind() == Frames.TAKEN ? null : inFlight.drainingTry(r.taskId(), r.tryNumber());
                if (cancelled != null) {
                    cancelled.bodyEnded(); // a cancelled try's body has now returned on its worker
                }
                continue; // ended already: cancelled, failed over after a worker loss, or reported before
            }
            if (t.worker == null) {
                inFlight.taken(t, worker);
                if (workers.isLost(worker)) {
                    t.fail(workers.lost(worker, t));
                    continue;
                }
                if (!t.task.markRunning(worker)) {
                    t.cancel(true);
                    continue;
                }
                t.started = true;
            }
            switch (r.kind()) {
                case Frames.RESULT -> succeed(t, r.payload());
                case Frames.ERROR -> failRemotely(t, worker, r.payload());
                default -> {
                    // TAKEN: recorded above
                }
            }
        }
    }

    private void succeed(Try t, byte[] payload) {
        Object value;
        try {
            value = Payloads.readValue(payload, allowlist);
        } catch (Allowlist.NotAllowed e) {
            t.fail(new IllegalStateException("the result of " + t + " was refused by this application: " + e.getMessage(), e));
            return;
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            t.fail(new IllegalStateException("the result of " + t + " could not be read: " + e, e));
            return;
        }
        if (t.end()) {
            t.task.succeeded(value);
            t.bodyEnded();
        }
    }

    private void failRemotely(Try t, String worker, byte[] payload) {
        Throwable failure;
        try {
            failure = Payloads.readError(payload, allowlist);
        } catch (IOException | RuntimeException e) {
            failure = new IllegalStateException(t + " failed on worker " + worker + " (the error could not be read: " + e + ")");
        }
        t.fail(failure);
    }
}
