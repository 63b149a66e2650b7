package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;

/**
 * A worker: connects to the executor's Hazelcast cluster as a client, finds there the link servers of
 * the executors of its labels and links to each ({@link KernelLinks}), runs the tasks they send — at
 * most its room, free slots plus prefetch — on its slot threads ({@link Slots}), sends results back on
 * the link they came on ({@link ResultSender}), heartbeats every period, and obeys authentic cancel
 * requests. Every frame is authenticated and decrypted with the secret before
 * anything in it is read ({@link Frames}).
 *
 * <p>Started by {@code LocalProvider} as a child JVM, by hand on another machine with
 * {@link #main(String[])}, or in-process (the Spring Boot starter's worker mode):
 * <pre>{@code
 * WorkerSettings settings = WorkerSettings.fromEnvironment(System.getenv());
 * try (HazelcastWorker worker = HazelcastWorker.builder(settings).build()) {
 *     worker.start();
 *     worker.awaitTermination();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops taking tasks, reports tasks taken but not started as {@link WorkerLost}
 * (so their DataFlowKernels retry them elsewhere), lets running tasks finish for a grace period, then
 * interrupts them, sends the last results, says it stops, and disconnects.
 */
public final class HazelcastWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HazelcastWorker.class);
    private static final long GRACE_MILLIS = 5_000;
    /** The most the farewell (last results, last heartbeat, listeners) may take once running tasks are done. */
    private static final long FAREWELL_MILLIS = 5_000;
    /** The most a Hazelcast client's shutdown may take before the worker stops without it. */
    private static final long DISCONNECT_MILLIS = 3_000;
    private static final long ACK_DELAY_MILLIS = 5;

    /** What Hazelcast asks for on Java 17+ (performance only), and a worker JVM's exit on OutOfMemoryError. */
    private static final List<String> JVM_OPTIONS = List.of(
            "--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-XX:+ExitOnOutOfMemoryError");

    private final WorkerSettings settings;
    private final String workerId;
    private final int slots;
    private final Map<Class<?>, Object> services;
    private final ClassLoader loader;
    private final HazelcastInstance givenInstance;
    private final Frames frames;
    private final long incarnation = ThreadLocalRandom.current().nextLong();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** The DataFlowKernel's side is gone for good: the launching process ended, or the client shut down. */
    private volatile boolean clusterGone;
    /** The client has lost its connection and not (yet) got it back. */
    private volatile boolean disconnected;
    private final List<ITopic<Object>> controlTopics = new ArrayList<>();
    private final List<UUID> controlListeners = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private volatile HazelcastInstance hz;
    private ResultSender sender;
    private Slots slotThreads;
    private KernelLinks links;
    private String host;
    private String clientUuid = "";

    private HazelcastWorker(Builder b) {
        this.settings = b.settings;
        this.workerId = settings.workerId().orElseGet(HazelcastWorker::defaultId);
        this.slots = settings.effectiveSlots();
        this.services = Map.copyOf(b.services);
        this.loader = b.classLoader != null ? b.classLoader
                : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : HazelcastWorker.class.getClassLoader();
        this.givenInstance = b.hazelcastInstance;
        this.frames = new Frames(settings.secret());
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

    /** A builder for a worker with these settings. */
    public static Builder builder(WorkerSettings settings) {
        return new Builder(settings);
    }

    /**
     * The JVM options the executor's default worker command includes: what Hazelcast asks for on Java
     * 17+ ({@code --add-modules}, {@code --add-opens}, ...; performance only), and
     * {@code -XX:+ExitOnOutOfMemoryError} (a worker out of memory exits and counts as lost, rather than
     * going on with broken threads). For launch commands of your own.
     */
    public static List<String> jvmOptions() {
        return JVM_OPTIONS;
    }

    /** This worker's id. */
    public String workerId() {
        return workerId;
    }

    /** Its task slots. */
    public int slots() {
        return slots;
    }

    /** Its settings. */
    public WorkerSettings settings() {
        return settings;
    }

    /**
     * Connects to the cluster without taking tasks yet, so that an application can overlap the
     * connection with the rest of its start-up and call {@link #start()} when it is ready to serve.
     * Does nothing if already connected; {@link #start()} connects first when this was not called.
     *
     * @throws IllegalStateException if the cluster cannot be reached, or the worker was closed
     */
    public synchronized void connect() {
        if (hz != null) {
            return;
        }
        if (closing.get()) {
            throw new IllegalStateException("worker " + workerId + " was closed");
        }
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        hz = givenInstance != null ? givenInstance : HazelcastClient.newHazelcastClient(Channels.client(settings.hazelcastClusterName(),
                "parsl-worker-" + workerId, settings.members(), settings.parentPid() > 0 ? 10_000 : -1));
        if (closing.get()) { // closed while connecting: close() found no client to stop
            if (givenInstance == null) {
                hz.shutdown();
            }
            throw new IllegalStateException("worker " + workerId + " was closed while it connected");
        }
        try {
            clientUuid = hz.getLocalEndpoint().getUuid().toString();
        } catch (RuntimeException e) {
            clientUuid = "";
        }
        if (givenInstance == null) {
            hz.getLifecycleService().addLifecycleListener(e -> {
                switch (e.getState()) {
                    case CLIENT_DISCONNECTED -> disconnected = true;
                    case CLIENT_CONNECTED -> disconnected = false;
                    case SHUTDOWN -> {
                        if (!closing.get()) {
                            clusterGone = true;
                            log.info("worker {}: its connection to the cluster ended for good; stopping", workerId);
                            new Thread(this::close, "parsl-worker-stop").start();
                        }
                    }
                    default -> { }
                }
            });
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parsl-worker-heartbeat"));
        Allowlist allowlist = new Allowlist(settings.allowedPackages(), loader);
        sender = new ResultSender(workerId, frames, scheduler, ACK_DELAY_MILLIS);
        slotThreads = new Slots(workerId, slots, settings.accelerators(), services, frames, allowlist, sender,
                Math.max(5_000, 2 * settings.heartbeatPeriod().toMillis()));
        links = new KernelLinks(workerId, slots + settings.prefetchCapacity(), settings.labels(), frames, slotThreads);
        for (String label : settings.labels()) {
            String channel = Channels.controlTopic(label);
            ITopic<Object> topic = hz.getTopic(channel);
            controlTopics.add(topic);
            controlListeners.add(topic.addMessageListener(m -> onControl(m.getMessageObject(), channel)));
        }
    }

    /**
     * Connects (unless {@link #connect()} did) and starts taking tasks. Returns once connected.
     *
     * @throws IllegalStateException if called twice, or the cluster cannot be reached
     */
    public synchronized void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("worker " + workerId + " was already started");
        }
        connect();
        sender.start(links);
        slotThreads.start();
        heartbeat();
        long period = settings.heartbeatPeriod().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        links.start(hz);
        if (settings.parentPid() > 0) {
            long parent = settings.parentPid();
            Runnable orphaned = () -> {
                clusterGone = true; // its DataFlowKernel went with it: nobody to say goodbye to
                log.info("worker {}: the launching process {} ended; stopping", workerId, parent);
                new Thread(this::close, "parsl-worker-orphan-stop").start();
            };
            ProcessHandle.of(parent).ifPresentOrElse(p -> p.onExit().thenRun(orphaned), orphaned);
        }
        log.info("worker {} started: labels {}, {} slots, prefetch {}, members {}", workerId, settings.labels(), slots,
                settings.prefetchCapacity(), settings.members());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void onControl(Object message, String channel) {
        Frames.Opened o = frames.open(message, Frames.CANCEL, channel);
        if (o == null) {
            return;
        }
        try {
            slotThreads.cancel(Frames.readCancel(o));
        } catch (IOException e) {
            frames.countDropped();
        }
    }

    /** Blocks until the worker has stopped ({@link #close()}, the launching process ended, or the cluster went away). */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Waits up to the timeout for the worker to stop; true if it did. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Frames this worker dropped because they did not authenticate, were malformed or replayed. */
    public long droppedFrames() {
        return frames.dropped();
    }

    private void heartbeat() {
        heartbeat(false);
    }

    private void heartbeat(boolean stopping) {
        try {
            Heartbeat h = new Heartbeat(workerId, host, ProcessHandle.current().pid(), slots, settings.prefetchCapacity(),
                    slotThreads.busy(), settings.labels(), clientUuid, incarnation, sequence.incrementAndGet(), stopping,
                    slotThreads.queued());
            for (String label : settings.labels()) {
                hz.getTopic(Channels.heartbeatTopic(label)).publish(frames.heartbeat(label, h));
            }
            slotThreads.expireCancels();
        } catch (RuntimeException e) {
            if (!closing.get()) {
                log.warn("worker {}: heartbeat failed: {}", workerId, e.toString());
            }
        }
    }

    /**
     * Stops the worker (see the class documentation). Idempotent; returns when it has stopped. Every
     * step is bounded, so it returns within about 15 s whatever the cluster does: running tasks get
     * 5 s, the farewell (last results, last heartbeat) 5 s, the disconnection 3 s. When the cluster is
     * gone — the launching process ended, the client shut down, or the connection is lost — the
     * graceful steps are skipped (nobody would receive the results) and it returns within a few
     * seconds, instead of waiting for Hazelcast's connect and invocation timeouts.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                terminated.await(GRACE_MILLIS + FAREWELL_MILLIS + DISCONNECT_MILLIS + 2_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (hz == null) {
                return;
            }
            if (!started.get()) { // connected, never served: nothing to hand back, nobody to say goodbye to
                if (scheduler != null) {
                    scheduler.shutdownNow();
                }
                if (givenInstance == null) {
                    bounded("parsl-worker-disconnect", DISCONNECT_MILLIS, hz::shutdown);
                }
                return;
            }
            boolean graceful = !clusterGone && !disconnected && hz.getLifecycleService().isRunning();
            log.info("worker {} stopping{}", workerId, graceful ? "" : " at once: its cluster is gone");
            if (graceful) {
                links.leaving(); // its executors send it nothing more; what is on the way is handed back
            }
            slotThreads.close(graceful ? GRACE_MILLIS : 0);
            if (scheduler != null && !graceful) {
                scheduler.shutdownNow();
            }
            if (graceful) {
                bounded("parsl-worker-farewell", FAREWELL_MILLIS, () -> {
                    sender.close();
                    if (scheduler != null) {
                        scheduler.shutdownNow();
                    }
                    heartbeat(true);
                    try {
                        for (int i = 0; i < controlTopics.size(); i++) {
                            controlTopics.get(i).removeMessageListener(controlListeners.get(i));
                        }
                    } catch (RuntimeException e) {
                        log.debug("worker {}: could not remove its listeners", workerId, e);
                    }
                });
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            links.close();
            if (givenInstance == null) {
                bounded("parsl-worker-disconnect", DISCONNECT_MILLIS, hz::shutdown);
            }
            log.info("worker {} stopped", workerId);
        } finally {
            terminated.countDown();
        }
    }

    /** Runs a step on a daemon thread and waits for it at most {@code millis}; a step that hangs is left behind. */
    private void bounded(String name, long millis, Runnable step) {
        Thread t = daemon(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.debug("worker {}: {} failed", workerId, name, e);
            }
        }, name);
        t.start();
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("worker {}: {} did not finish within {} ms; stopping without it", workerId, name, millis);
        }
    }

    /**
     * Starts a worker and runs until SIGTERM, the launching process ends, or the cluster goes away.
     * Settings come from the environment variables of {@link WorkerSettings}, which {@code --name=value}
     * options override; the secret is read from {@code PARSL_HAZELCAST_SECRET} only. Example:
     * {@code PARSL_HAZELCAST_SECRET=... java -cp app.jar:parsl-core.jar:hazelcast.jar
     * org.parsl.executors.hazelcast.HazelcastWorker --members=10.0.0.5:5701 --labels=gpu --slots=4}
     */
    public static void main(String[] args) throws Exception {
        WorkerSettings settings;
        try {
            settings = WorkerSettings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        HazelcastWorker worker = builder(settings).build();
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "parsl-worker-shutdown"));
        if (settings.parentPid() > 0) {
            // Also while still connecting (a worker JVM that boots as its launcher dies must not wait out
            // the connect timeout): the launcher is gone, so this process ends.
            Runnable orphaned = () -> new Thread(() -> System.exit(0), "parsl-worker-orphan-exit").start();
            ProcessHandle.of(settings.parentPid()).ifPresentOrElse(p -> p.onExit().thenRun(orphaned), orphaned);
        }
        worker.start();
        worker.awaitTermination();
        // A step that close() left behind (a client shutdown that hangs) may hold non-daemon threads: the
        // worker has stopped, so the process ends now. (Within a shutdown already under way this waits
        // for it, which is what ends the process then.)
        System.exit(0);
    }

    /** Collects what a worker needs besides its settings. */
    public static final class Builder {
        private final WorkerSettings settings;
        private final Map<Class<?>, Object> services = new LinkedHashMap<>();
        private ClassLoader classLoader;
        private HazelcastInstance hazelcastInstance;

        private Builder(WorkerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings must not be null");
        }

        /** An object tasks can look up with {@link WorkerContext#service(Class)}. */
        public <T> Builder service(Class<T> type, T instance) {
            services.put(Objects.requireNonNull(type, "type must not be null"), Objects.requireNonNull(instance, "instance must not be null"));
            return this;
        }

        /** The class loader tasks are read with; default the thread context class loader. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /** An existing Hazelcast instance (member or client) to use instead of a new client; not shut down by the worker. */
        public Builder hazelcastInstance(HazelcastInstance hazelcastInstance) {
            this.hazelcastInstance = hazelcastInstance;
            return this;
        }

        /** The worker (not yet started). */
        public HazelcastWorker build() {
            return new HazelcastWorker(this);
        }
    }
}
