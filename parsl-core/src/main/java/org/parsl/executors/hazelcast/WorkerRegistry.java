package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.client.Client;
import com.hazelcast.client.ClientListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;

/**
 * The workers of one label as this DataFlowKernel sees them, from their heartbeat frames: who is
 * connected with how many slots, who is lost, and whether every try sent to a worker is accounted
 * for.
 *
 * <ul>
 * <li><b>Loss.</b> A worker is lost when it says it stops, when its client disconnects, or when no
 *     authentic heartbeat came for {@code heartbeatThreshold}; then every try it holds fails with
 *     {@link WorkerLost} (the DataFlowKernel's retries re-run them), and so do tries it took from the
 *     queue but never acknowledged.</li>
 * <li><b>Return.</b> A lost worker that heartbeats again (a long GC pause, {@code SIGSTOP}/{@code SIGCONT},
 *     a network partition that healed), or acknowledges a try that is still live, is taken back: its
 *     old tries have already failed over, and their late results are ignored because
 *     {@link InFlight#get} no longer finds them.</li>
 * <li><b>Forged and replayed heartbeats.</b> Only authentic frames count; a frame seen before (its
 *     nonce) or a heartbeat older than the worker's last one (its incarnation and sequence) is dropped
 *     and counted in {@link Frames#dropped()}, so nobody without the secret can mark a live worker
 *     lost, keep a dead one alive, or bring a lost one back.</li>
 * <li><b>Unacknowledged tries.</b> A try that no worker acknowledged within {@code heartbeatThreshold}
 *     of being sent fails with a retryable {@link WorkerLost} that says it was never acknowledged, when
 *     it can no longer be legitimately waiting: it was sent to a worker (on its link) while every
 *     connected worker has since reported that it holds no task it has not started. The link it was
 *     sent on is then closed (its other tries fail over). A try that waits for room while the workers
 *     are busy is never failed.</li>
 * </ul>
 */
final class WorkerRegistry {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

    private final String label;
    private final Frames frames;
    private final InFlight inFlight;
    private final long thresholdMillis;
    private final long periodMillis;
    private final long ackDeadlineMillis;
    private final long reconcileDelayMillis;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Set<Long>> waitingTaskIds;
    private final ConcurrentHashMap<String, View> workers = new ConcurrentHashMap<>();
    /** Lost workers, with their last authentic heartbeat (to tell a replay from a worker that came back). */
    private final ConcurrentHashMap<String, Gone> lost = new ConcurrentHashMap<>();
    private final Set<String> firstSight = ConcurrentHashMap.newKeySet();
    private final Nonces nonces = new Nonces(65_536);
    /** Losses (not clean stops) and joins (first sights and returns), epoch millis, for {@link #problem()}. */
    private final Deque<Long> losses = new ArrayDeque<>();
    private final Deque<Long> joins = new ArrayDeque<>();
    private final String channel;
    private long lastScanMillis;
    private ITopic<Object> topic;
    private UUID topicListener;
    private UUID clientListener;
    private HazelcastInstance hz;
    private volatile Runnable onServing = () -> { };

    WorkerRegistry(String label, Frames frames, InFlight inFlight, long thresholdMillis, long periodMillis,
            ScheduledExecutorService scheduler, Supplier<Set<Long>> waitingTaskIds) {
        this.label = label;
        this.frames = frames;
        this.inFlight = inFlight;
        this.thresholdMillis = thresholdMillis;
        this.periodMillis = periodMillis;
        this.ackDeadlineMillis = thresholdMillis;
        this.reconcileDelayMillis = Math.max(1_000, 2 * periodMillis);
        this.scheduler = scheduler;
        this.waitingTaskIds = waitingTaskIds;
        this.channel = Channels.heartbeatTopic(label);
        long check = Math.max(50, periodMillis / 2);
        scheduler.scheduleWithFixedDelay(this::checkHeartbeats, check, check, TimeUnit.MILLISECONDS);
        long ackCheck = Math.max(100, periodMillis);
        scheduler.scheduleWithFixedDelay(this::checkUnacknowledged, ackCheck, ackCheck, TimeUnit.MILLISECONDS);
    }

    void start(HazelcastInstance hz) {
        this.hz = hz;
        topic = hz.getTopic(channel);
        topicListener = topic.addMessageListener(this::onHeartbeat);
        try {
            clientListener = hz.getClientService().addClientListener(new Disconnects());
        } catch (UnsupportedOperationException e) {
            clientListener = null;
        }
    }

    void stop() {
        try {
            if (topic != null) {
                topic.removeMessageListener(topicListener);
            }
            if (clientListener != null) {
                hz.getClientService().removeClientListener(clientListener);
            }
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not remove its listeners", label, e);
        }
    }

    /**
     * A connected worker: its last heartbeat, when it arrived, when a heartbeat last said the worker
     * may hold tasks it has not started (all slots busy and a prefetch) and last said it holds none,
     * when it last had all slots busy, and when it was first seen (epoch millis; 0: never).
     */
    record View(Heartbeat heartbeat, long lastSeenMillis, long lastClearMillis, long lastFullMillis, long sinceMillis) {

        View next(Heartbeat h, long now) {
            return new View(h, now, mayHoldUnstarted(h) ? lastClearMillis : now, full(h) ? now : lastFullMillis, sinceMillis);
        }

        static View first(Heartbeat h, long now) {
            return new View(h, now, mayHoldUnstarted(h) ? 0 : now, full(h) ? now : 0, now);
        }

        private static boolean full(Heartbeat h) {
            return h.busy() >= h.slots();
        }

        /**
         * A worker holds tasks it was sent but has not started (so not acknowledged) when it says so, or
         * may in its prefetch while every slot is busy.
         */
        private static boolean mayHoldUnstarted(Heartbeat h) {
            return h.queued() > 0 || (h.prefetch() > 0 && full(h));
        }
    }

    /** A lost worker: its last authentic heartbeat (null if none came) and when it was lost. */
    private record Gone(Heartbeat last, long atMillis) {
    }

    Collection<View> connected() {
        return workers.values();
    }

    private void onHeartbeat(Message<Object> m) {
        Frames.Opened o = frames.open(m.getMessageObject(), Frames.HEARTBEAT, channel);
        if (o == null) {
            return;
        }
        if (!nonces.firstTime(o.nonce())) {
            frames.countDropped(); // this very frame came before: a replay
            return;
        }
        Heartbeat h;
        try {
            h = Heartbeat.readFrom(o.in());
        } catch (IOException e) {
            frames.countDropped();
            return;
        }
        if (!h.labels().contains(label)) {
            frames.countDropped();
            return;
        }
        heartbeat(h);
    }

    /** Acts on an authentic heartbeat. */
    void heartbeat(Heartbeat h) {
        String id = h.workerId();
        long now = System.currentTimeMillis();
        boolean back = false;
        boolean joined = false;
        boolean stopped = false;
        synchronized (this) {
            View prev = workers.get(id);
            Gone gone = lost.get(id);
            Heartbeat last = prev != null ? prev.heartbeat : gone != null ? gone.last : null;
            if (last != null && !newer(h, last)) {
                frames.countDropped(); // older than what this worker said last: a replay
                return;
            }
            if (h.stopping()) {
                if (gone != null) {
                    lost.put(id, new Gone(h, gone.atMillis)); // remembered, so its older heartbeats stay replays
                } else {
                    stopped = lostLocked(id, h, false);
                }
            } else {
                back = gone != null;
                if (back) {
                    lost.remove(id);
                }
                workers.put(id, prev == null ? View.first(h, now) : prev.next(h, now));
                joined = firstSight.add(id);
                if (back || joined) {
                    joins.addLast(now);
                }
            }
        }
        if (back || joined) {
            onServing.run();
        }
        if (stopped) {
            failTriesOf(id, "it stopped", true);
        } else if (back) {
            log.info("executor '{}': worker {} is back after it was lost; its earlier tasks were failed over, it takes new ones", label, id);
        } else if (joined) {
            log.info("executor '{}': worker {} joined ({} slots, host {}, pid {})", label, id, h.slots(), h.host(), h.pid());
        }
    }

    private static boolean newer(Heartbeat h, Heartbeat prev) {
        return h.incarnation() != prev.incarnation() || h.sequence() > prev.sequence();
    }

    private final class Disconnects implements ClientListener {
        @Override
        public void clientConnected(Client client) {
        }

        @Override
        public void clientDisconnected(Client client) {
            String uuid = client.getUuid().toString();
            for (View w : workers.values()) {
                if (w.heartbeat.clientUuid().equals(uuid)) {
                    workerLost(w.heartbeat.workerId(), "it disconnected");
                }
            }
        }
    }

    private void checkHeartbeats() {
        long now = System.currentTimeMillis();
        for (View w : workers.values()) {
            if (now - w.lastSeenMillis > thresholdMillis) {
                workerLost(w.heartbeat.workerId(), "no heartbeat for " + (now - w.lastSeenMillis) + " ms (threshold " + thresholdMillis + " ms)");
            }
        }
    }

    /**
     * Called by the result reader for the first record of a live try from this worker. A lost worker
     * that acknowledges a try that is still live is alive (the record is authentic, and a replayed one
     * could only name tries that ended): it is taken back, so the try runs there. A worker that said
     * it stops is not taken back.
     *
     * @return whether the worker is lost for good (the reader then fails the try with {@link #lost})
     */
    boolean isLost(String workerId) {
        if (!lost.containsKey(workerId)) {
            return false;
        }
        synchronized (this) {
            Gone gone = lost.get(workerId);
            if (gone == null) {
                return false;
            }
            if (gone.last == null || gone.last.stopping()) {
                return true; // it said it stops (or never heartbeated): not taken back, the try fails over
            }
            lost.remove(workerId);
            long now = System.currentTimeMillis();
            workers.putIfAbsent(workerId, View.first(gone.last, now)); // watched again: silent for the threshold, lost again
            joins.addLast(now);
        }
        onServing.run();
        log.info("executor '{}': worker {} is back after it was lost (it acknowledged a task); it takes new ones", label, workerId);
        return false;
    }

    /**
     * Whether the worker serves now: its heartbeats come and it is not lost. Only then does the
     * dispatcher give its link tries (a link whose worker is silent, lost or stopping gets none).
     */
    boolean isServing(String workerId) {
        return workers.containsKey(workerId);
    }

    /** Run when a worker starts serving (first heartbeat, or back after a loss): tries waiting for room may go to it. */
    void onServing(Runnable r) {
        this.onServing = r;
    }

    WorkerLost lost(String workerId, Try t) {
        return new WorkerLost(workerId, "worker '" + workerId + "' was lost while it held " + t);
    }

    /** Fails every try the worker holds with {@link WorkerLost}; the DataFlowKernel's retries re-run them. */
    void workerLost(String workerId, String why) {
        boolean act;
        synchronized (this) {
            act = lostLocked(workerId, null, true);
        }
        if (act) {
            failTriesOf(workerId, why, true);
        }
    }

    /** Marks the worker lost; whether this is news (it was connected, or never known lost). Under this. */
    private boolean lostLocked(String workerId, Heartbeat last, boolean failure) {
        View gone = workers.remove(workerId);
        Heartbeat lastKnown = last != null ? last : gone != null ? gone.heartbeat : null;
        Gone before = lost.putIfAbsent(workerId, new Gone(lastKnown, System.currentTimeMillis()));
        if (gone == null && before != null) {
            return false;
        }
        if (failure && gone != null) {
            losses.addLast(System.currentTimeMillis());
        }
        return true;
    }

    private void failTriesOf(String workerId, String why, boolean logIt) {
        int failed = 0;
        for (Try t : inFlight.snapshot()) {
            LinkServer.Lane on = t.sentOn();
            boolean held = workerId.equals(t.worker) || (t.worker == null && on != null && workerId.equals(on.workerId));
            if (held && t.fail(new WorkerLost(workerId, "worker '" + workerId + "' was lost (" + why + ") while it held " + t))) {
                failed++;
            }
        }
        for (Try t : inFlight.drainingSnapshot()) {
            if (workerId.equals(t.worker)) {
                t.bodyEnded(); // a cancelled try's body on a lost worker never returns
            }
        }
        if (logIt) {
            log.info("executor '{}': worker {} lost ({}); {} of its tasks failed with WorkerLost", label, workerId, why, failed);
        }
        long lostAt = System.nanoTime();
        try {
            scheduler.schedule(() -> reconcile(workerId, why, lostAt), reconcileDelayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * Finds tries sent to a lost worker that it died before acknowledging: sent on its link before
     * the loss, still unacknowledged long after (live workers acknowledge within milliseconds), and not
     * waiting for room. They fail with WorkerLost too, so no try is silently lost.
     */
    private void reconcile(String workerId, String why, long lostAt) {
        List<Try> suspects = new ArrayList<>();
        for (Try t : inFlight.snapshot()) {
            LinkServer.Lane on = t.sentOn();
            if (t.worker == null && t.dispatchedNanos != 0 && t.dispatchedNanos - lostAt < 0 && (on == null || on.workerId.equals(workerId))) {
                suspects.add(t);
            }
        }
        if (suspects.isEmpty()) {
            return;
        }
        Set<Long> queued = listWaiting();
        if (queued == null) {
            return;
        }
        int failed = 0;
        for (Try t : suspects) {
            if (t.worker == null && !queued.contains(t.taskId)
                    && t.fail(new WorkerLost(workerId, t + " was sent to worker '" + workerId + "' but never acknowledged; the worker '" + workerId
                            + "' was lost (" + why + ") meanwhile"))) {
                failed++;
            }
        }
        if (failed > 0) {
            log.info("executor '{}': {} unacknowledged tasks failed with WorkerLost after worker {} was lost", label, failed, workerId);
        }
    }

    /** The task ids waiting for room now (not sent to any worker), or null when they cannot be read (the check waits for its next turn). */
    private Set<Long> listWaiting() {
        try {
            return waitingTaskIds.get();
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not list the tries waiting for room", label, e);
            return null;
        }
    }

    /**
     * The deadline for unacknowledged tries (see the class documentation). Runs on the monitor thread
     * only, which alone reads and writes the tries' {@code missingSince}/{@code condemnedAt} marks. The
     * tries waiting for room are listed only when a try is late, at most every half deadline.
     */
    void checkUnacknowledged() {
        long nowNanos = System.nanoTime();
        long now = System.currentTimeMillis();
        List<Try> late = new ArrayList<>();
        for (Try t : inFlight.snapshot()) {
            if (t.worker == null && !t.isEnded() && t.dispatchedNanos != 0
                    && nowNanos - t.dispatchedNanos > TimeUnit.MILLISECONDS.toNanos(ackDeadlineMillis)) {
                late.add(t);
            }
        }
        if (late.isEmpty()) {
            return;
        }
        List<View> ws = List.copyOf(workers.values());
        boolean scanDue = now - lastScanMillis >= ackDeadlineMillis / 2;
        boolean condemnedWaiting = late.stream().anyMatch(t -> t.condemnedAtMillis != 0 || t.missingSinceMillis != 0);
        if (!scanDue && !condemnedWaiting) {
            return;
        }
        Set<Long> queued = listWaiting();
        if (queued == null) {
            return;
        }
        lastScanMillis = now;
        boolean idleForDeadline = !ws.isEmpty() && ws.stream()
                .allMatch(v -> now - v.sinceMillis > ackDeadlineMillis && now - v.lastFullMillis > ackDeadlineMillis);
        List<Try> failing = new ArrayList<>();
        for (Try t : late) {
            String why = null;
            if (queued.contains(t.taskId)) {
                t.missingSinceMillis = 0;
                if (idleForDeadline) {
                    why = t + " was never acknowledged: it still waits for room in executor '" + label + "' although the " + ws.size()
                            + " connected workers have had free slots for " + ackDeadlineMillis + " ms";
                }
            } else {
                if (t.missingSinceMillis == 0) {
                    t.missingSinceMillis = now;
                    continue;
                }
                long since = t.missingSinceMillis;
                if (ws.stream().allMatch(v -> v.lastClearMillis > since + periodMillis)) {
                    why = t + " was never acknowledged: it was sent to a worker of '" + label + "' (" + sentTo(t) + ") but no worker started it"
                            + " (its worker never read it, dropped it as unreadable, or died)";
                }
            }
            if (why == null) {
                t.condemnedAtMillis = 0;
            } else if (t.condemnedAtMillis == 0) {
                t.condemnedAtMillis = now; // once more after a period: an acknowledgement in flight arrives by then
            } else if (now - t.condemnedAtMillis >= periodMillis && t.worker == null) {
                t.unacknowledgedReason = why;
                failing.add(t);
            }
        }
        int failed = 0;
        Set<LinkServer.Lane> broken = new java.util.HashSet<>();
        for (Try t : failing) {
            LinkServer.Lane on = t.sentOn();
            if (on != null) {
                on.broken = true; // before the try fails: its retry, launched at once, must not go to the same link
                broken.add(on);
            }
        }
        for (Try t : failing) {
            LinkServer.Lane on = t.sentOn();
            if (t.fail(new WorkerLost(on == null ? "none" : on.workerId, t.unacknowledgedReason + "; the DataFlowKernel's retries re-run it"))) {
                failed++;
            }
        }
        for (LinkServer.Lane l : broken) {
            log.warn("executor '{}': the {} held tries it never started; closed (a live worker links again)", label, l);
            l.link.close(); // its other tries fail over now, and it is given nothing more
        }
        if (failed > 0) {
            log.warn("executor '{}': {} tasks were never acknowledged by a worker within {} ms and failed with WorkerLost (retryable)",
                    label, failed, ackDeadlineMillis);
        }
    }

    private static String sentTo(Try t) {
        LinkServer.Lane on = t.sentOn();
        return on == null ? "its link closed" : "worker '" + on.workerId + "'";
    }

    /**
     * What is wrong with this label's workers, for health, or null: no worker connected while tasks
     * have waited three heartbeat thresholds, or workers lost faster than they are replaced (two or
     * more losses, more than joins, over the last ten minutes, the first one a grace period ago).
     */
    String problem() {
        long now = System.currentTimeMillis();
        long waitDeadline = 3 * thresholdMillis;
        if (workers.isEmpty()) {
            long nowNanos = System.nanoTime();
            int waiting = 0;
            long oldest = 0;
            for (Try t : inFlight.snapshot()) {
                if (t.worker == null && t.dispatchedNanos != 0) {
                    waiting++;
                    oldest = Math.max(oldest, TimeUnit.NANOSECONDS.toMillis(nowNanos - t.dispatchedNanos));
                }
            }
            if (oldest > waitDeadline) {
                return "no worker is connected to executor '" + label + "' and " + waiting + " tasks have waited up to " + oldest
                        + " ms (deadline " + waitDeadline + " ms): check that workers start and can reach the member";
            }
        }
        long window = TimeUnit.MINUTES.toMillis(10);
        long grace = Math.max(20_000, 2 * thresholdMillis);
        synchronized (this) {
            while (!losses.isEmpty() && now - losses.peekFirst() > window) {
                losses.pollFirst();
            }
            while (!joins.isEmpty() && now - joins.peekFirst() > window) {
                joins.pollFirst();
            }
            if (losses.size() >= 2 && now - losses.peekFirst() > grace) {
                long first = losses.peekFirst();
                long joinedSince = joins.stream().filter(j -> j >= first).count();
                if (losses.size() > joinedSince) {
                    return "workers of executor '" + label + "' are lost faster than they are replaced: " + losses.size() + " lost and "
                            + joinedSince + " joined in the last " + TimeUnit.MILLISECONDS.toSeconds(now - first) + " s";
                }
            }
        }
        return null;
    }
}
