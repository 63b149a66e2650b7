package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.client.ClientListener;
import com.hazelcast.client.Client;
import com.hazelcast.cluster.Address;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.topic.ITopic;

/**
 * A {@link HazelcastExecutor} started by one DataFlowKernel: it queues tries for the workers of its
 * label, reads their results back from this run's own result queue, watches the workers' heartbeats,
 * and scales its provider's blocks.
 *
 * <p>Threads: a dispatcher moves queued tries to Hazelcast in batches (what accumulated while the
 * previous batch was being sent); a reader takes result frames and reports outcomes (dependent
 * tasks are submitted on it); a scheduler checks heartbeats and runs the scaling strategy. No lock
 * is held across a Hazelcast call.
 */
final class HazelcastRunningExecutor implements RunningExecutor {

    private static final Logger log = LoggerFactory.getLogger(HazelcastRunningExecutor.class);
    private static final int MAX_BATCH = 4_096;

    private final HazelcastExecutor spec;
    private final String label;
    private final String runId;
    private final Path runDir;
    private final HazelcastInstance hz;
    private final boolean ownsInstance;
    private final String memberAddress;
    private final String clusterName;
    private final String secret;
    private final Wire wire;
    private final Allowlist allowlist;
    private final IQueue<byte[]> tasks;
    private final IQueue<byte[]> results;
    private final ITopic<byte[]> cancels;
    private final IMap<String, String> heartbeats;
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Pending> outbox = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, WorkerView> workers = new ConcurrentHashMap<>();
    private final Set<String> lostWorkers = ConcurrentHashMap.newKeySet();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread dispatcher;
    private final Thread reader;
    private final ScheduledExecutorService scheduler;
    private final Scaler scaler;
    private final List<UUID> listeners = new ArrayList<>();
    private UUID clientListener;

    HazelcastRunningExecutor(HazelcastExecutor spec, ExecutorContext context) {
        this.spec = spec;
        this.label = spec.label();
        this.runId = context.runId();
        this.runDir = context.runDir();
        this.allowlist = new Allowlist(spec.allowedPackages, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : HazelcastRunningExecutor.class.getClassLoader());
        this.secret = spec.secret != null ? spec.secret : generatedSecret();
        this.wire = new Wire(secret);
        if (spec.hazelcastInstance != null) {
            this.hz = spec.hazelcastInstance;
            this.ownsInstance = false;
            try {
                Topology.addStructureConfigs(hz.getConfig());
            } catch (RuntimeException e) {
                log.debug("could not add the parsl.* queue configs to the given instance (backups stay as configured)", e);
            }
        } else {
            this.hz = Hazelcast.newHazelcastInstance(Topology.member(spec.clusterName, spec.memberInterface, spec.port, spec.memberAddresses));
            this.ownsInstance = true;
        }
        boolean ok = false;
        try {
            this.memberAddress = address(hz);
            this.clusterName = spec.hazelcastInstance == null ? spec.clusterName : hz.getConfig().getClusterName();
            this.tasks = hz.getQueue(Topology.taskQueue(label));
            this.results = hz.getQueue(Topology.resultQueue(runId));
            this.cancels = hz.getTopic(Topology.cancelTopic(label));
            this.heartbeats = hz.getMap(Topology.WORKERS);
            listeners.add(heartbeats.addEntryListener(new HeartbeatListener(), true));
            try {
                clientListener = hz.getClientService().addClientListener(new Disconnects());
            } catch (UnsupportedOperationException e) {
                clientListener = null; // the given instance is a client: heartbeats alone detect loss
            }
            if (spec.secret == null && !spec.provider.launchesWorkers()) {
                writeSecretFile();
            }
            this.dispatcher = thread("dispatcher", this::dispatch);
            this.reader = thread("results", this::read);
            this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "parsl-" + label + "-monitor");
                t.setDaemon(true);
                return t;
            });
            this.scaler = new Scaler(this, spec.provider, context.config(), blockEnvironment(), runDir);
            long hb = Math.max(50, spec.heartbeatPeriod.toMillis() / 2);
            scheduler.scheduleWithFixedDelay(this::checkHeartbeats, hb, hb, TimeUnit.MILLISECONDS);
            dispatcher.start();
            reader.start();
            scaler.start(scheduler);
            ok = true;
            log.info("Hazelcast executor '{}' started: member {} (cluster '{}'), provider {}", label, memberAddress, clusterName, spec.provider);
        } finally {
            if (!ok) {
                shutdown();
            }
        }
    }

    private static String address(HazelcastInstance hz) {
        try {
            Address a = hz.getCluster().getLocalMember().getAddress();
            return a.getHost() + ":" + a.getPort();
        } catch (UnsupportedOperationException e) {
            return "";
        }
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, "parsl-" + label + "-" + name);
        t.setDaemon(true);
        return t;
    }

    private static String generatedSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private void writeSecretFile() {
        Path file = runDir.resolve(label + ".secret");
        try {
            Files.writeString(file, secret);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            log.warn("executor '{}' has no secret configured and its workers are started by hand: a secret was generated"
                    + " for this run in {}; give it to the workers as PARSL_HAZELCAST_SECRET, or configure one", label, file);
        } catch (IOException e) {
            log.warn("executor '{}': could not write the generated secret to {}", label, file, e);
        }
    }

    /** The settings of a launched worker, as the environment variables every worker reads. */
    Map<String, String> blockEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PARSL_WORKER_ENABLED", "true");
        env.put("PARSL_HAZELCAST_MEMBERS", memberAddress);
        env.put("PARSL_HAZELCAST_CLUSTER_NAME", clusterName);
        env.put("PARSL_HAZELCAST_SECRET", secret);
        env.put("PARSL_WORKER_LABELS", label);
        env.put("PARSL_WORKER_SLOTS", Integer.toString(spec.slotsPerWorker()));
        env.put("PARSL_WORKER_PREFETCH_CAPACITY", Integer.toString(spec.prefetchCapacity));
        env.put("PARSL_WORKER_HEARTBEAT_PERIOD", spec.heartbeatPeriod.toMillis() + "ms");
        env.put("PARSL_WORKER_ACCELERATORS", String.join(",", spec.availableAccelerators));
        env.put("PARSL_ALLOWED_PACKAGES", String.join(",", spec.allowedPackages));
        return env;
    }

    // --- RunningExecutor

    @Override
    public String label() {
        return label;
    }

    /** Classes of task functions without state (non-capturing lambdas) already found serializable. */
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    @Override
    public void checkSubmittable(Object function) {
        if (function instanceof java.io.Serializable && STATELESS.get(function.getClass())) {
            return; // nothing captured: it serializes like any instance of its class
        }
        try {
            Allowlist.serialize(function);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("task function " + function.getClass().getName() + " cannot be sent to executor '"
                    + label + "': it is not serializable (" + e.getMessage() + "). Use a lambda or class that captures only"
                    + " serializable values (pass other objects as task arguments, or look them up on the worker"
                    + " with WorkerContext.service)", e);
        }
    }

    @Override
    public TaskHandle submit(ExecutorTask task) {
        if (stopped.get()) {
            task.failed(new java.util.concurrent.RejectedExecutionException("executor '" + label + "' is shut down"));
            return any -> false;
        }
        byte[] body;
        try {
            body = Allowlist.serialize(task.body());
        } catch (NotSerializableException | RuntimeException e) {
            task.failed(new IllegalArgumentException("task " + task.taskId() + " (" + task.functionName()
                    + ") cannot be sent to executor '" + label + "': an argument is not serializable (" + e.getMessage()
                    + "); pass serializable arguments", e));
            return any -> false;
        }
        Pending p = new Pending(this, task, wire.task(runId, task.taskId(), task.tryNumber(), task.functionName(), body));
        Pending old = pending.put(task.taskId(), p);
        if (old != null) {
            old.forget(); // an older try of the same task: its late result must not count
            if (old.worker != null) {
                taken.decrementAndGet();
            }
        }
        outbox.add(p);
        return p;
    }

    @Override
    public ExecutorStatus status() {
        List<ExecutorStatus.WorkerInfo> infos = new ArrayList<>();
        int slots = 0;
        int busy = 0;
        for (WorkerView w : workers.values()) {
            Heartbeat h = w.heartbeat;
            infos.add(new ExecutorStatus.WorkerInfo(h.workerId(), h.host(), h.slots(), h.busy(), w.lastSeenMillis));
            slots += h.slots();
            busy += h.busy();
        }
        boolean running = !stopped.get() && hz.getLifecycleService().isRunning();
        long inFlight = pending.size();
        long queued = Math.max(0, inFlight - taken.get());
        String problem = running ? null : "Hazelcast member is not running";
        if (running && inFlight > 0 && workers.isEmpty() && !spec.provider.launchesWorkers()) {
            problem = "tasks are waiting and no worker is connected: start workers with the HazelcastWorker command";
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("max-workers-per-node", spec.maxWorkersPerNode);
        settings.put("prefetch-capacity", spec.prefetchCapacity);
        settings.put("heartbeat-period", spec.heartbeatPeriod.toString());
        settings.put("heartbeat-threshold", spec.heartbeatThreshold.toString());
        settings.put("available-accelerators", spec.availableAccelerators);
        settings.put("provider", spec.provider.toString());
        settings.put("cluster-name", clusterName);
        settings.put("member", memberAddress);
        settings.put("allowed-packages", spec.allowedPackages);
        return new ExecutorStatus(label, "hazelcast", running && problem == null, problem, infos.size(), slots, busy,
                scaler == null ? 0 : scaler.activeBlocks(), queued, infos, settings);
    }

    /** Tries submitted and not yet reported, for the scaling strategy. */
    int outstanding() {
        return pending.size();
    }

    /** Process ids of the running blocks (for tests and the endpoint). */
    List<Long> blockPids() {
        return scaler == null ? List.of() : scaler.pids();
    }

    @Override
    public void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        if (reader != null) {
            reader.interrupt();
        }
        if (scaler != null) {
            scaler.stopAll();
        }
        for (Pending p : pending.values()) {
            p.cancel(true);
        }
        try {
            if (hz.getLifecycleService().isRunning()) {
                for (UUID id : listeners) {
                    heartbeats.removeEntryListener(id);
                }
                if (clientListener != null) {
                    hz.getClientService().removeClientListener(clientListener);
                }
                if (results != null) {
                    results.destroy();
                }
            }
        } catch (RuntimeException e) {
            log.debug("executor '{}': cleanup of Hazelcast structures failed", label, e);
        }
        if (ownsInstance) {
            hz.shutdown();
        }
        log.info("Hazelcast executor '{}' stopped", label);
    }

    // --- dispatching

    private void dispatch() {
        List<Pending> batch = new ArrayList<>();
        List<byte[]> items = new ArrayList<>();
        try {
            while (!stopped.get()) {
                batch.add(outbox.take());
                outbox.drainTo(batch, MAX_BATCH - 1);
                long now = System.nanoTime();
                for (Pending p : batch) {
                    p.dispatchedNanos = now;
                    p.dispatched = true;
                    if (!p.cancelled) {
                        items.add(p.frame);
                    }
                    p.frame = null;
                }
                try {
                    if (items.size() == 1) {
                        tasks.add(items.get(0));
                    } else if (!items.isEmpty()) {
                        tasks.addAll(items);
                    }
                } catch (RuntimeException e) {
                    if (stopped.get()) {
                        return;
                    }
                    for (Pending p : batch) {
                        p.fail(new IllegalStateException("could not queue task " + p.taskId + " on executor '" + label + "': " + e, e));
                    }
                }
                batch.clear();
                items.clear();
            }
        } catch (InterruptedException | HazelcastInstanceNotActiveException e) {
            // shutting down
        }
    }

    void publishCancel(Pending p, boolean interrupt) {
        try {
            cancels.publishAsync(wire.cancel(runId, p.taskId, p.tryNumber, interrupt));
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not publish the cancellation of task {}", label, p.taskId, e);
        }
    }

    boolean remove(Pending p) {
        if (pending.remove(p.taskId, p)) {
            if (p.worker != null) {
                taken.decrementAndGet();
            }
            return true;
        }
        return false;
    }

    // --- results

    private void read() {
        List<byte[]> frames = new ArrayList<>();
        while (!stopped.get()) {
            try {
                byte[] first = results.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                frames.add(first);
                results.drainTo(frames, 255);
            } catch (InterruptedException | HazelcastInstanceNotActiveException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped.get()) {
                    return;
                }
                log.warn("executor '{}': reading results failed; retrying", label, e);
                continue;
            }
            for (byte[] f : frames) {
                try {
                    handle(wire.readResults(f));
                } catch (IOException | RuntimeException e) {
                    log.warn("executor '{}': dropped a result frame: {}", label, e.toString());
                }
            }
            frames.clear();
        }
    }

    private void handle(Wire.ResultFrame frame) {
        String worker = frame.workerId();
        for (Wire.Record r : frame.records()) {
            Pending p = pending.get(r.taskId());
            if (p == null || p.tryNumber != r.tryNumber()) {
                continue; // cancelled, already reported (e.g. after a worker loss), or an older try
            }
            switch (r.kind()) {
                case Wire.TAKEN -> {
                    if (p.worker == null) {
                        p.worker = worker;
                        taken.incrementAndGet();
                    }
                    if (lostWorkers.contains(worker)) {
                        p.fail(lost(worker, "it was lost", p));
                    } else if (!p.task.markRunning(worker)) {
                        p.cancel(true);
                    }
                }
                case Wire.RESULT -> {
                    if (remove(p)) {
                        Object value;
                        try {
                            value = allowlist.deserialize(r.payload());
                        } catch (Allowlist.NotAllowed e) {
                            p.task.failed(new IllegalStateException("the result of task " + p.taskId + " (" + p.task.functionName()
                                    + ") was refused by this application: " + e.getMessage(), e));
                            continue;
                        } catch (IOException | ClassNotFoundException | RuntimeException e) {
                            p.task.failed(new IllegalStateException("the result of task " + p.taskId + " (" + p.task.functionName()
                                    + ") could not be read: " + e, e));
                            continue;
                        }
                        p.task.succeeded(value);
                    }
                }
                case Wire.ERROR -> {
                    if (remove(p)) {
                        Throwable t;
                        try {
                            t = Wire.readError(r.payload(), allowlist);
                        } catch (IOException | RuntimeException e) {
                            t = new IllegalStateException("task " + p.taskId + " failed on worker " + worker + " (the error could not be read: " + e + ")");
                        }
                        p.task.failed(t);
                    }
                }
                case Wire.REJECTED -> {
                    if (remove(p)) {
                        p.task.failed(new SecurityException("task " + p.taskId + " (" + p.task.functionName() + ") was rejected by worker "
                                + worker + ": " + new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8)));
                    }
                }
                default -> log.warn("executor '{}': unknown record kind {} from worker {}", label, r.kind(), worker);
            }
        }
    }

    // --- workers

    private final class HeartbeatListener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>, EntryExpiredListener<String, String> {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, String> e) {
            seen(e.getValue());
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> e) {
            seen(e.getValue());
        }

        @Override
        public void entryRemoved(com.hazelcast.core.EntryEvent<String, String> e) {
            workerLost(e.getKey(), "it stopped");
        }

        @Override
        public void entryExpired(com.hazelcast.core.EntryEvent<String, String> e) {
            workerLost(e.getKey(), "its heartbeat entry expired");
        }
    }

    private void seen(String value) {
        Heartbeat h;
        try {
            h = Heartbeat.decode(value);
        } catch (RuntimeException e) {
            log.debug("executor '{}': ignored a malformed heartbeat {}", label, value);
            return;
        }
        if (!h.labels().contains(label) || lostWorkers.contains(h.workerId())) {
            return;
        }
        WorkerView old = workers.put(h.workerId(), new WorkerView(h, System.currentTimeMillis()));
        if (old == null) {
            log.info("executor '{}': worker {} joined ({} slots, host {}, pid {})", label, h.workerId(), h.slots(), h.host(), h.pid());
        }
    }

    private final class Disconnects implements ClientListener {
        @Override
        public void clientConnected(Client client) {
        }

        @Override
        public void clientDisconnected(Client client) {
            String uuid = client.getUuid().toString();
            for (WorkerView w : workers.values()) {
                if (w.heartbeat.clientUuid().equals(uuid)) {
                    workerLost(w.heartbeat.workerId(), "it disconnected");
                }
            }
        }
    }

    private void checkHeartbeats() {
        long now = System.currentTimeMillis();
        long threshold = spec.heartbeatThreshold.toMillis();
        for (WorkerView w : workers.values()) {
            if (now - w.lastSeenMillis > threshold) {
                workerLost(w.heartbeat.workerId(), "no heartbeat for " + (now - w.lastSeenMillis) + " ms (threshold " + threshold + " ms)");
            }
        }
    }

    /** Fails every try the worker holds with {@link WorkerLost}; the DataFlowKernel's retries re-run them. */
    void workerLost(String workerId, String why) {
        WorkerView gone = workers.remove(workerId);
        boolean first = lostWorkers.add(workerId);
        if (gone == null && !first) {
            return;
        }
        int failed = 0;
        for (Pending p : pending.values()) {
            if (workerId.equals(p.worker) && p.fail(lost(workerId, why, p))) {
                failed++;
            }
        }
        if (gone != null || failed > 0) {
            log.info("executor '{}': worker {} lost ({}); {} of its tasks failed with WorkerLost", label, workerId, why, failed);
        }
        long lostAt = System.nanoTime();
        long delay = Math.max(1_000, 2 * spec.heartbeatPeriod.toMillis());
        try {
            scheduler.schedule(() -> reconcile(workerId, why, lostAt), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * Finds tries that a lost worker took from the queue but died before acknowledging: dispatched
     * before the loss, still unacknowledged long after (live workers acknowledge at once), and no
     * longer in the task queue. They fail with WorkerLost too, so no try is silently lost.
     */
    private void reconcile(String workerId, String why, long lostAt) {
        List<Pending> suspects = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.worker == null && p.dispatched && !p.cancelled && p.dispatchedNanos - lostAt < 0) {
                suspects.add(p);
            }
        }
        if (suspects.isEmpty()) {
            return;
        }
        Set<Long> queued = new java.util.HashSet<>();
        try {
            for (byte[] item : tasks) {
                try {
                    Wire.TaskFrame t = wire.readTask(item);
                    if (t.runId().equals(runId)) {
                        queued.add(t.taskId());
                    }
                } catch (IOException | RuntimeException e) {
                    // not ours
                }
            }
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not scan the task queue", label, e);
            return;
        }
        int failed = 0;
        for (Pending p : suspects) {
            if (p.worker == null && !queued.contains(p.taskId)
                    && p.fail(new WorkerLost(workerId, "task " + p.taskId + " (" + p.task.functionName() + ", try " + p.tryNumber
                            + ") was taken from the queue but never acknowledged; worker '" + workerId + "' was lost (" + why
                            + ") meanwhile"))) {
                failed++;
            }
        }
        if (failed > 0) {
            log.info("executor '{}': {} unacknowledged tasks failed with WorkerLost after worker {} was lost", label, failed, workerId);
        }
    }

    private static WorkerLost lost(String workerId, String why, Pending p) {
        return new WorkerLost(workerId, "worker '" + workerId + "' was lost (" + why + ") while it held task " + p.taskId
                + " (" + p.task.functionName() + ", try " + p.tryNumber + ")");
    }

    private record WorkerView(Heartbeat heartbeat, long lastSeenMillis) {
    }

    /** One try handed to Hazelcast; the DataFlowKernel's handle to cancel it. */
    static final class Pending implements TaskHandle {
        final HazelcastRunningExecutor executor;
        final ExecutorTask task;
        final long taskId;
        final int tryNumber;
        byte[] frame;
        volatile boolean dispatched;
        volatile long dispatchedNanos;
        volatile boolean cancelled;
        volatile String worker;

        Pending(HazelcastRunningExecutor executor, ExecutorTask task, byte[] frame) {
            this.executor = executor;
            this.task = task;
            this.taskId = task.taskId();
            this.tryNumber = task.tryNumber();
            this.frame = frame;
        }

        /** Stops tracking an older try without reporting it. */
        void forget() {
            cancelled = true;
        }

        boolean fail(Throwable t) {
            if (executor.remove(this)) {
                task.failed(t);
                return true;
            }
            return false;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!executor.remove(this)) {
                return false;
            }
            cancelled = true;
            if (dispatched) {
                executor.publishCancel(this, mayInterruptIfRunning);
            }
            return true;
        }
    }
}
