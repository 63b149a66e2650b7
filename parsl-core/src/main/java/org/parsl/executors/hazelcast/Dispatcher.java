package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves submitted tries to workers over their links ({@link LinkServer.Lane}). A worker is sent at
 * most its room (slots plus prefetch) of tries that it has not reported back: pull, not push — a slow
 * worker is never buried, and tries beyond every worker's room wait here, in order, until a result
 * frees room. Each distinct function is serialized once.
 *
 * <p>When the line is idle (no send in flight and none just finished: a lone task, a dependent
 * launched from a result, a sequential caller) the calling thread encodes, seals and writes the try
 * itself — one write from the submitting thread to the worker's socket. In a burst tries go to the
 * thread {@code parsl-<label>-dispatcher}, which sends all that accumulated while it was sending, many
 * tasks to a frame, in one write per worker (no timed wait).
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_DRAIN = 8_192;
    /** AES-GCM in the JDK runs at GB/s up to tens of KB a message and far slower beyond: frames stay small. */
    static final int MAX_FRAME_BYTES = 32 * 1024;
    private static final int MAX_TASKS_PER_FRAME = 256;
    /** Sends closer together than this are a burst: they go to the dispatcher thread, to be batched. */
    private static final long BURST_GAP_NANOS = 50_000;
    /** While tries wait for room, the dispatcher looks again this often (a lost worker may come back). */
    private static final long WAITING_RECHECK_MILLIS = 100;
    private static final Object KICK = new Object();

    private final String label;
    private final String runId;
    private final String channel;
    private final Frames frames;
    private final TaskBatch.SerializedFunctions functions;
    private final Supplier<List<LinkServer.Lane>> lanes;
    private final Predicate<String> serving;
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    /** Tries no worker has room for, oldest first; guarded by {@link #sendLock}. */
    private final ArrayDeque<Try> waiting = new ArrayDeque<>();
    private volatile int waitingCount;
    private final AtomicBoolean kicked = new AtomicBoolean();
    private final Thread thread;
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile long lastSendEnd;
    private volatile boolean stopped;
    private int nextLane;

    /**
     * @param lanes the open lanes
     * @param serving whether a worker serves now (heartbeats, not lost): only then is its lane given tries
     */
    Dispatcher(String label, String runId, Frames frames, TaskBatch.SerializedFunctions functions, Supplier<List<LinkServer.Lane>> lanes,
            Predicate<String> serving) {
        this.label = label;
        this.runId = runId;
        this.channel = Channels.linkTasks(label, runId);
        this.frames = frames;
        this.functions = functions;
        this.lanes = lanes;
        this.serving = serving;
        this.thread = new Thread(this::run, "parsl-" + label + "-dispatcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Sends a try: at once on the calling thread when the line is idle, else queued for the dispatcher
     * thread, which batches what accumulates while it sends (a burst). Blocks at most for one write;
     * never when called from an interrupted thread or one of Hazelcast's.
     */
    void send(Try t) {
        Thread caller = Thread.currentThread();
        if (System.nanoTime() - lastSendEnd > BURST_GAP_NANOS && outbox.isEmpty() && waitingCount == 0 && !caller.isInterrupted()
                && !caller.getName().startsWith("hz.") // never a blocking write on one of Hazelcast's own threads
                && !sendLock.isHeldByCurrentThread() // a retry submitted from a failure reported while planning
                && sendLock.tryLock()) {
            List<Out> outs;
            try {
                List<Try> one = new ArrayList<>(1);
                one.add(t);
                outs = plan(one);
            } finally {
                sendLock.unlock();
            }
            write(outs);
            lastSendEnd = System.nanoTime();
            return;
        }
        outbox.add(t);
    }

    /** Room was freed or a lane opened: the dispatcher looks at the waiting tries. Cheap when nothing waits. */
    void kick() {
        if (waitingCount > 0 && kicked.compareAndSet(false, true)) {
            outbox.add(KICK);
        }
    }

    /** A lane opened: what waits may go to it. */
    void laneOpened(LinkServer.Lane lane) {
        lane.freed = this::kick;
        kick();
    }

    /** Ids of this run's tries that wait for room (not sent to any worker yet). */
    Set<Long> waitingIds() {
        sendLock.lock();
        try {
            Set<Long> ids = new HashSet<>();
            for (Try t : waiting) {
                ids.add(t.taskId);
            }
            return ids;
        } finally {
            sendLock.unlock();
        }
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void run() {
        List<Try> batch = new ArrayList<>();
        List<Object> drained = new ArrayList<>();
        try {
            while (!stopped) {
                Object first = waitingCount > 0 ? outbox.poll(WAITING_RECHECK_MILLIS, TimeUnit.MILLISECONDS) : outbox.take();
                kicked.set(false);
                if (first != null) {
                    drained.add(first);
                    outbox.drainTo(drained, MAX_DRAIN - 1);
                    for (Object o : drained) {
                        if (o != KICK) {
                            batch.add((Try) o);
                        }
                    }
                    drained.clear();
                }
                List<Out> outs;
                sendLock.lock();
                try {
                    outs = plan(batch);
                } finally {
                    sendLock.unlock();
                }
                write(outs);
                lastSendEnd = System.nanoTime();
                batch.clear();
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    /** What goes to one lane in one write, and the tries that could not be encoded (failed after the send lock is released). */
    private static final class Out {
        final LinkServer.Lane lane;
        final List<byte[]> items = new ArrayList<>(1);
        final List<Try> tries = new ArrayList<>();
        final List<Try> unsendable = new ArrayList<>(0);
        final List<Throwable> why = new ArrayList<>(0);
        TaskBatch.Writer w;

        Out(LinkServer.Lane lane) {
            this.lane = lane;
        }
    }

    /**
     * Gives the waiting tries, then the batch, to lanes with room, encoding and sealing their frames;
     * what finds no room waits, in order (the caller holds the send lock).
     */
    private List<Out> plan(List<Try> batch) {
        Plan p = new Plan();
        while (!waiting.isEmpty()) {
            Try t = waiting.peekFirst();
            if (t.isEnded()) {
                waiting.pollFirst(); // cancelled while it waited
                continue;
            }
            if (!p.assign(t)) {
                break;
            }
            waiting.pollFirst();
        }
        for (Try t : batch) {
            if (t.isEnded()) {
                continue; // cancelled before it was sent
            }
            if (!waiting.isEmpty() || !p.assign(t)) {
                waiting.addLast(t);
            }
        }
        if (p.out != null) {
            finish(p.out);
        }
        waitingCount = waiting.size();
        return p.outs;
    }

    /** One planning pass: the lane being filled and its room left. */
    private final class Plan {
        final List<Out> outs = new ArrayList<>(1);
        final long now = System.nanoTime();
        Out out;
        int free;
        boolean full;

        /** Gives the try to a lane with room; false when none has any (then nothing more is tried this pass). */
        boolean assign(Try t) {
            if (full) {
                return false;
            }
            if (free <= 0) {
                if (out != null) {
                    finish(out);
                    out = null;
                }
                LinkServer.Lane lane = pick();
                if (lane == null) {
                    full = true;
                    return false;
                }
                free = lane.free();
                out = new Out(lane);
                outs.add(out);
            }
            if (!t.assignLane(out.lane)) {
                return true; // ended meanwhile (cancelled): nothing to send
            }
            free--;
            t.dispatchedNanos = now; // from here on, a cancellation is sent to the workers too
            if (out.w == null) {
                out.w = new TaskBatch.Writer(runId);
            }
            try {
                out.w.add(t.taskId, t.tryNumber, t.task.functionName(), t.task.body(), functions);
            } catch (IOException | RuntimeException e) {
                out.unsendable.add(t);
                out.why.add(new IllegalArgumentException("task " + t.taskId + " (" + t.task.functionName() + ") cannot be sent to executor '"
                        + label + "': its function or an argument is not serializable (" + e + "); pass serializable arguments", e));
                return true;
            }
            out.tries.add(t);
            if (out.w.count() >= MAX_TASKS_PER_FRAME || out.w.bytes() >= MAX_FRAME_BYTES) {
                out.items.add(frames.seal(Frames.TASKS, channel, out.w.finish()));
                out.w = null;
            }
            return true;
        }
    }

    private void finish(Out out) {
        if (out.w != null && out.w.count() > 0) {
            out.items.add(frames.seal(Frames.TASKS, channel, out.w.finish()));
        }
        out.w = null;
    }

    /** The open lane with the most room, of a worker that serves, or null when none has room. */
    private LinkServer.Lane pick() {
        List<LinkServer.Lane> all = lanes.get();
        int n = all.size();
        LinkServer.Lane best = null;
        int bestFree = 0;
        int start = n == 0 ? 0 : Math.floorMod(nextLane++, n);
        for (int k = 0; k < n; k++) {
            LinkServer.Lane l;
            try {
                l = all.get((start + k) % n);
            } catch (IndexOutOfBoundsException e) {
                break; // a lane closed meanwhile
            }
            int f = l.free();
            if (f > bestFree && l.open() && serving.test(l.workerId)) {
                best = l;
                bestFree = f;
            }
        }
        return best;
    }

    /** Writes each lane's frames; tries on a lane that fails, or closed meanwhile, fail over at once. */
    private void write(List<Out> outs) {
        for (Out out : outs) {
            for (int i = 0; i < out.unsendable.size(); i++) {
                out.unsendable.get(i).fail(out.why.get(i)); // outside the send lock: the kernel's callbacks may submit again
            }
            if (out.items.isEmpty()) {
                continue;
            }
            try {
                out.lane.link.write(out.items);
            } catch (IOException e) {
                if (!stopped) {
                    log.info("executor '{}': sending {} tasks on the {} failed ({}); they fail over", label, out.tries.size(), out.lane,
                            e.toString());
                }
                out.lane.link.close();
            }
            if (out.lane.link.isClosed()) {
                for (Try t : out.tries) {
                    t.fail(new WorkerLost(out.lane.workerId, "worker '" + out.lane.workerId + "' was lost (its link closed) while "
                            + t + " was sent to it"));
                }
            }
        }
    }
}
