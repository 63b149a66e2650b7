package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.parsl.app.TaskCallable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * A worker: connects to the executor's Hazelcast cluster as a client, takes tasks of its labels
 * while it has free slots (plus a prefetch), runs each on one of its slot threads, and sends results
 * back in batches to the DataFlowKernel that submitted them. It heartbeats every period, checks each
 * task's signature before it deserializes anything, and deserializes through the allowlist.
 *
 * <p>Started by {@code LocalProvider} as a child JVM, by hand on another machine with
 * {@link #main(String[])}, or in-process (the Spring Boot starter's worker mode) with
 * {@link #builder()}:
 * <pre>{@code
 * try (HazelcastWorker worker = HazelcastWorker.builder().labels(List.of("gpu")).slots(4)
 *         .members(List.of("10.0.0.5:5701")).secret(secret).build()) {
 *     worker.start();
 *     worker.awaitTermination();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops taking tasks, lets running tasks finish for a short grace period, then
 * interrupts them, sends the last results, removes its heartbeat and disconnects. A task that was
 * taken but had not started is reported as {@link WorkerLost}, so the DataFlowKernel can retry it.
 */
public final class HazelcastWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HazelcastWorker.class);
    private static final long POLL_MILLIS = 250;
    private static final long GRACE_MILLIS = 5_000;
    private static final long ACK_COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final List<String> labels;
    private final int slots;
    private final int prefetch;
    private final List<String> members;
    private final String clusterName;
    private final String workerId;
    private final List<String> accelerators;
    private final Map<Class<?>, Object> services;
    private final Duration heartbeatPeriod;
    private final long parentPid;
    private final Wire wire;
    private final Allowlist allowlist;
    private final ClassLoader loader;
    private final HazelcastInstance givenInstance;

    private final Semaphore room;
    private final LinkedBlockingQueue<Work> work = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> cancelled = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<Thread> takers = new ArrayList<>();
    private final List<Thread> slotThreads = new ArrayList<>();
    private Thread sender;
    private ScheduledExecutorService heartbeats;
    private HazelcastInstance hz;
    private IMap<String, String> workerMap;
    private final List<UUID> cancelListeners = new ArrayList<>();
    private String host;

    private HazelcastWorker(Builder b) {
        this.labels = List.copyOf(b.labels);
        this.slots = b.accelerators.isEmpty() ? b.slots : Math.min(b.slots, b.accelerators.size());
        this.prefetch = b.prefetchCapacity;
        this.members = List.copyOf(b.members);
        this.clusterName = b.clusterName;
        this.workerId = b.workerId != null ? b.workerId : defaultId();
        this.accelerators = List.copyOf(b.accelerators);
        this.services = Map.copyOf(b.services);
        this.heartbeatPeriod = b.heartbeatPeriod;
        this.parentPid = b.parentPid;
        this.wire = new Wire(b.secret);
        this.loader = b.classLoader != null ? b.classLoader
                : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : HazelcastWorker.class.getClassLoader();
        this.allowlist = new Allowlist(b.allowedPackages, loader);
        this.givenInstance = b.hazelcastInstance;
        this.room = new Semaphore(slots + prefetch);
    }

    private static String defaultId() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "worker";
        }
        return h + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    /** A builder: one label is required, and the secret the executor uses. */
    public static Builder builder() {
        return new Builder();
    }

    /** This worker's id. */
    public String workerId() {
        return workerId;
    }

    /** Its task slots. */
    public int slots() {
        return slots;
    }

    /**
     * Connects and starts taking tasks. Returns once connected.
     *
     * @throws IllegalStateException if called twice, or the cluster cannot be reached
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("worker " + workerId + " was already started");
        }
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        hz = givenInstance != null ? givenInstance : HazelcastClient.newHazelcastClient(
                Topology.client(clusterName, "parsl-worker-" + workerId, members, parentPid > 0 ? 30_000 : -1));
        workerMap = hz.getMap(Topology.WORKERS);
        for (String label : labels) {
            cancelListeners.add(hz.<byte[]>getTopic(Topology.cancelTopic(label)).addMessageListener(m -> onCancel(m.getMessageObject())));
        }
        heartbeat();
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parsl-worker-heartbeat"));
        long period = heartbeatPeriod.toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        sender = daemon(this::send, "parsl-worker-sender");
        sender.start();
        for (int i = 0; i < slots; i++) {
            int slot = i;
            Thread t = daemon(() -> runSlot(slot), "parsl-worker-slot-" + i);
            slotThreads.add(t);
            t.start();
        }
        for (String label : labels) {
            Thread t = daemon(() -> take(label), "parsl-worker-take-" + label);
            takers.add(t);
            t.start();
        }
        if (parentPid > 0) {
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> {
                        log.info("worker {}: the launching process {} ended; stopping", workerId, parentPid);
                        new Thread(this::close, "parsl-worker-orphan-stop").start();
                    }),
                    () -> new Thread(this::close, "parsl-worker-orphan-stop").start());
        }
        log.info("worker {} started: labels {}, {} slots, prefetch {}, members {}, cluster '{}'", workerId, labels, slots, prefetch,
                members, clusterName);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Blocks until the worker has stopped ({@link #close()}, or the launching process ended). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Waits up to the timeout for the worker to stop; true if it did. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // --- taking

    private void take(String label) {
        IQueue<byte[]> queue = hz.getQueue(Topology.taskQueue(label));
        List<byte[]> items = new ArrayList<>();
        while (!closing.get()) {
            byte[] first;
            try {
                if (!room.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                room.release();
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                room.release();
                if (!closing.get()) {
                    log.warn("worker {}: taking tasks of '{}' failed; retrying: {}", workerId, label, e.toString());
                    pause();
                }
                continue;
            }
            if (first == null) {
                room.release();
                continue;
            }
            accept(first); // at once: a lone task does not wait for the drain below
            int more = room.drainPermits();
            if (more > 0) {
                try {
                    queue.drainTo(items, more);
                } catch (RuntimeException e) {
                    if (!closing.get()) {
                        log.warn("worker {}: taking tasks of '{}' failed; retrying: {}", workerId, label, e.toString());
                    }
                }
                room.release(more - items.size());
                for (byte[] item : items) {
                    accept(item);
                }
                items.clear();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checks a taken item's signature, acknowledges it to its DataFlowKernel and queues it for a slot. */
    private void accept(byte[] item) {
        Wire.TaskFrame t;
        try {
            t = wire.readTask(item);
        } catch (IOException | RuntimeException e) {
            log.warn("worker {}: dropped a queue item that is not a Parsl task: {}", workerId, e.toString());
            room.release();
            return;
        }
        if (!t.signed()) {
            log.warn("worker {}: rejected task {} of run {}: its signature does not match this worker's secret", workerId, t.taskId(), t.runId());
            outbox.add(new Outgoing(t.runId(), Wire.REJECTED, t.taskId(), t.tryNumber(),
                    ("its payload's signature does not match the worker's secret: configure the same secret on the executor"
                            + " and the workers (PARSL_HAZELCAST_SECRET)").getBytes(StandardCharsets.UTF_8)));
            room.release();
            return;
        }
        if (cancelled.remove(t.key()) != null) {
            room.release();
            return;
        }
        outbox.add(new Outgoing(t.runId(), Wire.TAKEN, t.taskId(), t.tryNumber(), null));
        work.add(new Work(t));
    }

    // --- running

    private void runSlot(int slot) {
        WorkerContext context = new WorkerContext(workerId, slot, slot < accelerators.size() ? accelerators.get(slot) : null, services);
        while (true) {
            Work w;
            try {
                w = work.take();
            } catch (InterruptedException e) {
                return;
            }
            if (w == Work.STOP) {
                return;
            }
            try {
                run(w.frame, context);
            } finally {
                room.release();
            }
        }
    }

    private void run(Wire.TaskFrame t, WorkerContext context) {
        String key = t.key();
        if (cancelled.remove(key) != null) {
            return;
        }
        Object body;
        try {
            body = allowlist.deserialize(t.body());
        } catch (Allowlist.NotAllowed e) {
            fail(t, new IllegalArgumentException("task " + t.taskId() + " (" + t.functionName() + ") was refused by worker " + workerId + ": "
                    + e.getMessage()));
            return;
        } catch (ClassNotFoundException e) {
            fail(t, new IllegalStateException("task " + t.taskId() + " (" + t.functionName() + ") cannot run on worker " + workerId
                    + ": class " + e.getMessage() + " is not on the worker's class path; start workers with the application's"
                    + " classes (LocalProvider's default command does)"));
            return;
        } catch (IOException | RuntimeException | LinkageError e) {
            fail(t, new IllegalStateException("task " + t.taskId() + " (" + t.functionName() + ") could not be read on worker "
                    + workerId + ": " + e));
            return;
        }
        if (!(body instanceof TaskCallable<?> callable)) {
            fail(t, new IllegalArgumentException("task " + t.taskId() + " is a " + body.getClass().getName() + ", not a TaskCallable"));
            return;
        }
        Running r = new Running(Thread.currentThread());
        running.put(key, r);
        busy.incrementAndGet();
        Object result = null;
        Throwable failure = null;
        WorkerContext.set(context);
        try {
            if (cancelled.remove(key) == null) {
                result = callable.call();
            } else {
                return;
            }
        } catch (Throwable e) {
            failure = e;
            if (e instanceof VirtualMachineError vme && !(e instanceof StackOverflowError)) {
                throw vme;
            }
        } finally {
            WorkerContext.set(null);
            r.finish();
            running.remove(key);
            busy.decrementAndGet();
        }
        if (failure != null) {
            fail(t, failure);
            return;
        }
        byte[] bytes;
        try {
            bytes = Allowlist.serialize(result);
        } catch (IOException | RuntimeException e) {
            fail(t, new IllegalArgumentException("the result of task " + t.taskId() + " (" + t.functionName() + ") is a "
                    + result.getClass().getName() + ", which is not serializable (" + e.getMessage() + "): return a Serializable value"));
            return;
        }
        outbox.add(new Outgoing(t.runId(), Wire.RESULT, t.taskId(), t.tryNumber(), bytes));
    }

    private void fail(Wire.TaskFrame t, Throwable e) {
        outbox.add(new Outgoing(t.runId(), Wire.ERROR, t.taskId(), t.tryNumber(), Wire.error(e)));
    }

    private void onCancel(byte[] message) {
        Wire.Cancel c = wire.readCancel(message);
        if (c == null) {
            return;
        }
        Running r = running.get(c.key());
        if (r != null) {
            if (c.interrupt()) {
                r.interrupt();
            }
        } else {
            cancelled.put(c.key(), System.nanoTime());
        }
    }

    /** A task running on a slot thread; interrupts it only while it runs. */
    private static final class Running {
        private final Thread thread;
        private boolean done;

        Running(Thread thread) {
            this.thread = thread;
        }

        synchronized void interrupt() {
            if (!done) {
                thread.interrupt();
            }
        }

        synchronized void finish() {
            done = true;
            Thread.interrupted(); // an interrupt meant for this task must not hit the next one
        }
    }

    private record Work(Wire.TaskFrame frame) {
        static final Work STOP = new Work(null);
    }

    // --- sending

    private record Outgoing(String runId, byte kind, long taskId, int tryNumber, byte[] payload) {
    }

    private void send() {
        List<Outgoing> batch = new ArrayList<>();
        Map<String, Wire.FrameBuilder> signed = new LinkedHashMap<>();
        Map<String, Wire.FrameBuilder> unsigned = new LinkedHashMap<>();
        while (true) {
            try {
                Outgoing first = outbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing.get() && outbox.isEmpty() && busy.get() == 0 && work.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                outbox.drainTo(batch, 4_095);
                // Acknowledgements alone are not urgent: wait briefly for the results of the tasks just
                // taken, so a short task costs one frame instead of two. Results never wait.
                long deadline = System.nanoTime() + ACK_COALESCE_NANOS;
                while (onlyAcks(batch) && batch.size() < 4_096) {
                    long left = deadline - System.nanoTime();
                    Outgoing next = left > 0 ? outbox.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    outbox.drainTo(batch, 4_095 - batch.size());
                }
            } catch (InterruptedException e) {
                return;
            }
            for (Outgoing o : batch) {
                Map<String, Wire.FrameBuilder> frames = o.kind() == Wire.REJECTED ? unsigned : signed;
                frames.computeIfAbsent(o.runId(), id -> new Wire.FrameBuilder(workerId, o.kind() != Wire.REJECTED))
                        .add(o.kind(), o.taskId(), o.tryNumber(), o.payload());
            }
            batch.clear();
            deliver(signed);
            deliver(unsigned);
        }
    }

    private static boolean onlyAcks(List<Outgoing> batch) {
        for (Outgoing o : batch) {
            if (o.kind() != Wire.TAKEN) {
                return false;
            }
        }
        return true;
    }

    private void deliver(Map<String, Wire.FrameBuilder> frames) {
        for (Map.Entry<String, Wire.FrameBuilder> e : frames.entrySet()) {
            try {
                hz.<byte[]>getQueue(Topology.resultQueue(e.getKey())).add(wire.finish(e.getValue()));
            } catch (RuntimeException ex) {
                log.warn("worker {}: could not send {} results to run {}: {}", workerId, e.getValue().count, e.getKey(), ex.toString());
            }
        }
        frames.clear();
    }

    // --- heartbeats

    private void heartbeat() {
        try {
            String uuid = givenInstance != null && !(hz instanceof com.hazelcast.client.impl.clientside.HazelcastClientProxy)
                    ? "" : hz.getLocalEndpoint().getUuid().toString();
            Heartbeat h = new Heartbeat(workerId, host, ProcessHandle.current().pid(), slots, busy.get(), labels, uuid,
                    System.currentTimeMillis());
            workerMap.set(workerId, h.encode(), Math.max(60, heartbeatPeriod.toSeconds() * 20), TimeUnit.SECONDS);
            long old = System.nanoTime() - TimeUnit.MINUTES.toNanos(10);
            cancelled.values().removeIf(t -> t < old);
        } catch (RuntimeException e) {
            if (!closing.get()) {
                log.warn("worker {}: heartbeat failed: {}", workerId, e.toString());
            }
        }
    }

    // --- stopping

    /**
     * Stops the worker (see the class documentation). Idempotent; returns when it has stopped.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                terminated.await(GRACE_MILLIS * 3, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (!started.get() || hz == null) {
                return; // never started, or could not connect
            }
            log.info("worker {} stopping", workerId);
            for (Thread t : takers) {
                join(t, POLL_MILLIS * 4);
            }
            List<Work> notStarted = new ArrayList<>();
            work.drainTo(notStarted);
            for (Work w : notStarted) {
                fail(w.frame(), new WorkerLost(workerId, "worker '" + workerId + "' stopped before task " + w.frame().taskId() + " started"));
            }
            for (int i = 0; i < slots; i++) {
                work.add(Work.STOP);
            }
            long deadline = System.currentTimeMillis() + GRACE_MILLIS;
            for (Thread t : slotThreads) {
                join(t, Math.max(1, deadline - System.currentTimeMillis()));
            }
            for (Running r : running.values()) {
                r.interrupt();
            }
            for (Thread t : slotThreads) {
                join(t, 1_000);
            }
            join(sender, 2_000);
            if (heartbeats != null) {
                heartbeats.shutdownNow();
            }
            try {
                workerMap.remove(workerId);
                for (int i = 0; i < labels.size(); i++) {
                    hz.getTopic(Topology.cancelTopic(labels.get(i))).removeMessageListener(cancelListeners.get(i));
                }
            } catch (RuntimeException e) {
                log.debug("worker {}: could not remove its heartbeat", workerId, e);
            }
            if (givenInstance == null) {
                hz.shutdown();
            }
            log.info("worker {} stopped", workerId);
        } finally {
            terminated.countDown();
        }
    }

    private static void join(Thread t, long millis) {
        if (t == null) {
            return;
        }
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- command line

    /**
     * Starts a worker and runs until SIGTERM (or the launching process ends). Settings come from
     * environment variables, which {@code --name=value} options override:
     * <pre>
     * PARSL_HAZELCAST_MEMBERS       --members=host:port,...   the executor's member (default 127.0.0.1:5701)
     * PARSL_HAZELCAST_CLUSTER_NAME  --cluster-name=parsl
     * PARSL_HAZELCAST_SECRET        (environment only)        the executor's secret (required)
     * PARSL_WORKER_LABELS           --labels=gpu,...          executor labels to serve (required)
     * PARSL_WORKER_SLOTS            --slots=N                 tasks at once (default: processors)
     * PARSL_WORKER_PREFETCH_CAPACITY --prefetch-capacity=N    extra tasks taken ahead (default 0)
     * PARSL_WORKER_ID               --worker-id=ID            (default host-pid-random)
     * PARSL_WORKER_ACCELERATORS     --accelerators=0,1        one slot per accelerator
     * PARSL_ALLOWED_PACKAGES        --allowed-packages=com.example,...
     * PARSL_WORKER_HEARTBEAT_PERIOD --heartbeat-period=1s
     * </pre>
     * Example: {@code PARSL_HAZELCAST_SECRET=... java -cp app.jar:parsl-core.jar:hazelcast.jar
     * org.parsl.executors.hazelcast.HazelcastWorker --members=10.0.0.5:5701 --labels=gpu --slots=4}
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>(System.getenv());
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                System.err.println("unknown argument '" + a + "': use --name=value (see the HazelcastWorker Javadoc)");
                System.exit(2);
            }
            String name = a.substring(2, a.indexOf('='));
            String value = a.substring(a.indexOf('=') + 1);
            String env = name.equals("members") || name.equals("cluster-name") ? "PARSL_HAZELCAST_" + name.toUpperCase().replace('-', '_')
                    : name.equals("allowed-packages") ? "PARSL_ALLOWED_PACKAGES"
                    : "PARSL_WORKER_" + name.toUpperCase().replace('-', '_');
            settings.put(env, value);
        }
        HazelcastWorker worker;
        try {
            worker = fromSettings(settings);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "parsl-worker-shutdown"));
        worker.start();
        worker.awaitTermination();
    }

    static HazelcastWorker fromSettings(Map<String, String> s) {
        Builder b = builder();
        b.members(list(s.getOrDefault("PARSL_HAZELCAST_MEMBERS", "127.0.0.1:5701")));
        b.clusterName(s.getOrDefault("PARSL_HAZELCAST_CLUSTER_NAME", "parsl"));
        b.secret(s.get("PARSL_HAZELCAST_SECRET"));
        b.labels(list(s.getOrDefault("PARSL_WORKER_LABELS", "")));
        if (s.containsKey("PARSL_WORKER_SLOTS")) {
            b.slots(Integer.parseInt(s.get("PARSL_WORKER_SLOTS").trim()));
        }
        if (s.containsKey("PARSL_WORKER_PREFETCH_CAPACITY")) {
            b.prefetchCapacity(Integer.parseInt(s.get("PARSL_WORKER_PREFETCH_CAPACITY").trim()));
        }
        if (s.get("PARSL_WORKER_ID") != null && !s.get("PARSL_WORKER_ID").isBlank()) {
            b.workerId(s.get("PARSL_WORKER_ID").trim());
        }
        b.accelerators(list(s.getOrDefault("PARSL_WORKER_ACCELERATORS", "")));
        b.allowedPackages(list(s.getOrDefault("PARSL_ALLOWED_PACKAGES", "")));
        if (s.containsKey("PARSL_WORKER_HEARTBEAT_PERIOD")) {
            b.heartbeatPeriod(duration(s.get("PARSL_WORKER_HEARTBEAT_PERIOD")));
        }
        if (s.containsKey("PARSL_PARENT_PID")) {
            b.parentPid = Long.parseLong(s.get("PARSL_PARENT_PID").trim());
        }
        return b.build();
    }

    static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    static Duration duration(String s) {
        String v = s.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis(Long.parseLong(v));
    }

    /** Collects a worker's settings; {@link #build()} checks them all at once. */
    public static final class Builder {
        private List<String> labels = List.of();
        private int slots = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int prefetchCapacity;
        private List<String> members = List.of("127.0.0.1:5701");
        private String clusterName = "parsl";
        private String secret;
        private List<String> allowedPackages = List.of();
        private String workerId;
        private List<String> accelerators = List.of();
        private final Map<Class<?>, Object> services = new LinkedHashMap<>();
        private Duration heartbeatPeriod = Duration.ofSeconds(1);
        private ClassLoader classLoader;
        private HazelcastInstance hazelcastInstance;
        private long parentPid;

        private Builder() {
        }

        /** The executor labels whose tasks this worker runs (required). */
        public Builder labels(Collection<String> labels) {
            this.labels = List.copyOf(Objects.requireNonNull(labels, "labels must not be null"));
            return this;
        }

        /** Tasks run at once; default: this machine's processors. */
        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        /** Tasks taken beyond the free slots; default 0. */
        public Builder prefetchCapacity(int prefetchCapacity) {
            this.prefetchCapacity = prefetchCapacity;
            return this;
        }

        /** Addresses of the executor's Hazelcast member(s), {@code host:port}; default {@code 127.0.0.1:5701}. */
        public Builder members(List<String> members) {
            this.members = List.copyOf(Objects.requireNonNull(members, "members must not be null"));
            return this;
        }

        /** The cluster name; default {@code parsl}. */
        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        /** The executor's secret (required): tasks not signed with it are rejected unread. */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /** Packages besides {@code org.parsl} and the JDK's value types that tasks may use. */
        public Builder allowedPackages(Collection<String> allowedPackages) {
            this.allowedPackages = List.copyOf(Objects.requireNonNull(allowedPackages, "allowedPackages must not be null"));
            return this;
        }

        /** The worker's id; default {@code <host>-<pid>-<random>}. */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /** Accelerators: one slot per accelerator, pinned to it ({@link WorkerContext#accelerator()}). */
        public Builder accelerators(List<String> accelerators) {
            this.accelerators = List.copyOf(Objects.requireNonNull(accelerators, "accelerators must not be null"));
            return this;
        }

        /** An object tasks can look up with {@link WorkerContext#service(Class)}. */
        public <T> Builder service(Class<T> type, T instance) {
            services.put(Objects.requireNonNull(type, "type must not be null"), Objects.requireNonNull(instance, "instance must not be null"));
            return this;
        }

        /** How often the worker heartbeats; default 1 s (keep it below the executor's heartbeatThreshold). */
        public Builder heartbeatPeriod(Duration heartbeatPeriod) {
            this.heartbeatPeriod = heartbeatPeriod;
            return this;
        }

        /** The class loader tasks are read with; default the thread context class loader. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /**
         * The process that launched this worker ({@code PARSL_PARENT_PID}, set by {@code LocalProvider}): the
         * worker stops when that process ends, so a killed application leaves no orphan workers. 0: none.
         */
        public Builder parentPid(long parentPid) {
            this.parentPid = parentPid;
            return this;
        }

        /** An existing Hazelcast instance (member or client) to use instead of a new client; not shut down by the worker. */
        public Builder hazelcastInstance(HazelcastInstance hazelcastInstance) {
            this.hazelcastInstance = hazelcastInstance;
            return this;
        }

        /**
         * The worker (not yet started).
         *
         * @throws IllegalArgumentException naming every bad setting
         */
        public HazelcastWorker build() {
            List<String> problems = new ArrayList<>();
            if (labels.isEmpty()) {
                problems.add("no labels: name the executor labels this worker serves (PARSL_WORKER_LABELS or --labels=gpu)");
            }
            if (slots < 1) {
                problems.add("slots is " + slots + ": it must be at least 1");
            }
            if (prefetchCapacity < 0) {
                problems.add("prefetchCapacity is " + prefetchCapacity + ": it must be 0 or more");
            }
            if (secret == null || secret.isEmpty()) {
                problems.add("no secret: set PARSL_HAZELCAST_SECRET to the executor's secret");
            }
            if (members.isEmpty() && hazelcastInstance == null) {
                problems.add("no members: give the executor's member address (PARSL_HAZELCAST_MEMBERS or --members=host:5701)");
            }
            if (clusterName == null || clusterName.isBlank()) {
                problems.add("clusterName is blank");
            }
            if (heartbeatPeriod == null || heartbeatPeriod.isNegative() || heartbeatPeriod.isZero()) {
                problems.add("heartbeatPeriod is " + heartbeatPeriod + ": it must be positive");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid Parsl worker: " + String.join("; ", problems));
            }
            return new HazelcastWorker(this);
        }
    }
}
