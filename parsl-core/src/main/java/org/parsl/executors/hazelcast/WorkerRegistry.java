package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
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
 * connected with how many slots, and who is lost. A worker is lost when it says it stops, when its
 * client disconnects, or when no authentic heartbeat came for {@code heartbeatThreshold}; then every
 * try it holds fails with {@link WorkerLost} (the DataFlowKernel's retries re-run them), and so do
 * tries it took from the queue but never acknowledged. A replayed (older) heartbeat is ignored.
 */
final class WorkerRegistry {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);

    private final String label;
    private final Frames frames;
    private final InFlight inFlight;
    private final long thresholdMillis;
    private final long reconcileDelayMillis;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Set<Long>> queuedTaskIds;
    private final ConcurrentHashMap<String, View> workers = new ConcurrentHashMap<>();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final String channel;
    private ITopic<Object> topic;
    private UUID topicListener;
    private UUID clientListener;
    private HazelcastInstance hz;

    WorkerRegistry(String label, Frames frames, InFlight inFlight, long thresholdMillis, long periodMillis,
            ScheduledExecutorService scheduler, Supplier<Set<Long>> queuedTaskIds) {
        this.label = label;
        this.frames = frames;
        this.inFlight = inFlight;
        this.thresholdMillis = thresholdMillis;
        this.reconcileDelayMillis = Math.max(1_000, 2 * periodMillis);
        this.scheduler = scheduler;
        this.queuedTaskIds = queuedTaskIds;
        this.channel = Channels.heartbeatTopic(label);
        long check = Math.max(50, periodMillis / 2);
        scheduler.scheduleWithFixedDelay(this::checkHeartbeats, check, check, TimeUnit.MILLISECONDS);
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

    /** A connected worker: its last heartbeat and when it arrived. */
    record View(Heartbeat heartbeat, long lastSeenMillis) {
    }

    Collection<View> connected() {
        return workers.values();
    }

    /** Tasks per task frame: half the room of the smallest connected worker, so no worker takes far beyond its room. */
    int tasksPerFrame() {
        int min = Integer.MAX_VALUE;
        for (View v : workers.values()) {
            min = Math.min(min, v.heartbeat.room());
        }
        return min == Integer.MAX_VALUE ? 1 : Math.max(1, Math.min(256, min / 2));
    }

    private void onHeartbeat(Message<Object> m) {
        Frames.Opened o = frames.open(m.getMessageObject(), Frames.HEARTBEAT, channel);
        if (o == null) {
            return;
        }
        Heartbeat h;
        try {
            h = Heartbeat.readFrom(o.in());
        } catch (IOException e) {
            frames.countDropped();
            return;
        }
        if (!h.labels().contains(label) || lost.contains(h.workerId())) {
            return;
        }
        if (h.stopping()) {
            workerLost(h.workerId(), "it stopped");
            return;
        }
        View seen = new View(h, System.currentTimeMillis());
        workers.compute(h.workerId(), (id, prev) -> prev == null || newer(h, prev.heartbeat) ? seen : prev);
        if (firstSight.add(h.workerId())) {
            log.info("executor '{}': worker {} joined ({} slots, host {}, pid {})", label, h.workerId(), h.slots(), h.host(), h.pid());
        }
    }

    private final Set<String> firstSight = ConcurrentHashMap.newKeySet();

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

    boolean isLost(String workerId) {
        return lost.contains(workerId);
    }

    WorkerLost lost(String workerId, Try t) {
        return new WorkerLost(workerId, "worker '" + workerId + "' was lost while it held " + t);
    }

    /** Fails every try the worker holds with {@link WorkerLost}; the DataFlowKernel's retries re-run them. */
    void workerLost(String workerId, String why) {
        View gone = workers.remove(workerId);
        boolean first = lost.add(workerId);
        if (gone == null && !first) {
            return;
        }
        int failed = 0;
        for (Try t : inFlight.snapshot()) {
            if (workerId.equals(t.worker) && t.fail(new WorkerLost(workerId, "worker '" + workerId + "' was lost (" + why + ") while it held " + t))) {
                failed++;
            }
        }
        for (Try t : inFlight.drainingSnapshot()) {
            if (workerId.equals(t.worker)) {
                t.bodyEnded(); // a cancelled try's body on a lost worker never returns
            }
        }
        if (gone != null || failed > 0) {
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
     * Finds tries that a lost worker took from the queue but died before acknowledging: sent before
     * the loss, still unacknowledged long after (live workers acknowledge within milliseconds), and no
     * longer in the task queue. They fail with WorkerLost too, so no try is silently lost.
     */
    private void reconcile(String workerId, String why, long lostAt) {
        List<Try> suspects = new ArrayList<>();
        for (Try t : inFlight.snapshot()) {
            if (t.worker == null && t.dispatchedNanos != 0 && t.dispatchedNanos - lostAt < 0) {
                suspects.add(t);
            }
        }
        if (suspects.isEmpty()) {
            return;
        }
        Set<Long> queued;
        try {
            queued = queuedTaskIds.get();
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not scan the task queue", label, e);
            return;
        }
        int failed = 0;
        for (Try t : suspects) {
            if (t.worker == null && !queued.contains(t.taskId)
                    && t.fail(new WorkerLost(workerId, t + " was taken from the queue but never acknowledged; worker '" + workerId
                            + "' was lost (" + why + ") meanwhile"))) {
                failed++;
            }
        }
        if (failed > 0) {
            log.info("executor '{}': {} unacknowledged tasks failed with WorkerLost after worker {} was lost", label, failed, workerId);
        }
    }
}
