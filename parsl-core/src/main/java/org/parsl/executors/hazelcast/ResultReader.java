package org.parsl.executors.hazelcast;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Reports the outcomes in a worker's result frames to the DataFlowKernel. Called by the reader thread of
 * the link the frame came on ({@link LinkServer}), which is where this executor's futures complete: a
 * dependent task is launched on it, and callbacks that user code attaches with the non-async
 * {@code CompletionStage} methods run on it too — they must not block. A frame that does not
 * authenticate, was seen before, or is malformed, is dropped and counted; the link goes on.
 */
final class ResultReader {

    private static final Logger log = LoggerFactory.getLogger(ResultReader.class);

    private final String label;
    private final String channel;
    private final Frames frames;
    private final InFlight inFlight;
    private final WorkerRegistry workers;
    private final Allowlist allowlist;
    private final Nonces nonces = new Nonces(65_536);

    ResultReader(String label, String runId, Frames frames, InFlight inFlight, WorkerRegistry workers, Allowlist allowlist) {
        this.label = label;
        this.channel = Channels.resultQueue(runId);
        this.frames = frames;
        this.inFlight = inFlight;
        this.workers = workers;
        this.allowlist = allowlist;
    }

    void handle(Object item) {
        Frames.Opened opened = frames.open(item, Frames.RESULTS, channel);
        if (opened == null) {
            log.debug("executor '{}': dropped a frame that is not an authentic result frame of this run", label);
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
