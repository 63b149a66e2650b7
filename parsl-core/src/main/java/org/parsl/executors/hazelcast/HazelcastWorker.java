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
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.topic.ITopic;

/**
 * A worker: connects to the executor's Hazelcast cluster as a client, takes tasks of its labels
 * while it has room ({@link Slots}), runs them on its slot threads, sends results back to the
 * DataFlowKernel that submitted them ({@link ResultSender}), heartbeats every period, and obeys
 * authentic cancel requests. Every frame is authenticated and decrypted with the secret before
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
    private final List<ITopic<Object>> controlTopics = new ArrayList<>();
    private final List<UUID> controlListeners = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private HazelcastInstance hz;
    private ResultSender sender;
    private Slots slotThreads;
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
        hz = givenInstance != null ? givenInstance : HazelcastClient.newHazelcastClient(Channels.client(settings.hazelcastClusterName(),
                "parsl-worker-" + workerId, settings.members(), settings.parentPid() > 0 ? 10_000 : -1));
        try {
            clientUuid = hz.getLocalEndpoint().getUuid().toString();
        } catch (RuntimeException e) {
            clientUuid = "";
        }
        if (givenInstance == null) {
            hz.getLifecycleService().addLifecycleListener(e -> {
                if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN && !closing.get()) {
                    log.info("worker {}: its connection to the cluster ended for good; stopping", workerId);
                    new Thread(this::close, "parsl-worker-stop").start();
                }
            });
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parsl-worker-heartbeat"));
        Allowlist allowlist = new Allowlist(settings.allowedPackages(), loader);
        sender = new ResultSender(workerId, frames, hz, scheduler, ACK_DELAY_MILLIS);
        slotThreads = new Slots(workerId, slots, settings.prefetchCapacity(), settings.labels(), settings.accelerators(), services,
                frames, allowlist, sender);
        for (String label : settings.labels()) {
            String channel = Channels.controlTopic(label);
            ITopic<Object> topic = hz.getTopic(channel);
            controlTopics.add(topic);
            controlListeners.add(topic.addMessageListener(m -> onControl(m.getMessageObject(), channel)));
        }
        sender.start();
        heartbeat();
        long period = settings.heartbeatPeriod().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        slotThreads.start(hz);
        if (settings.parentPid() > 0) {
            long parent = settings.parentPid();
            ProcessHandle.of(parent).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> {
                        log.info("worker {}: the launching process {} ended; stopping", workerId, parent);
                        new Thread(this::close, "parsl-worker-orphan-stop").start();
                    }),
                    () -> new Thread(this::close, "parsl-worker-orphan-stop").start());
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
                    slotThreads.busy(), settings.labels(), clientUuid, incarnation, sequence.incrementAndGet(), stopping);
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

    /** Stops the worker (see the class documentation). Idempotent; returns when it has stopped. */
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
                return;
            }
            log.info("worker {} stopping", workerId);
            boolean connected = hz.getLifecycleService().isRunning();
            slotThreads.close(connected ? GRACE_MILLIS : 0);
            if (connected) {
                sender.close();
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (connected) {
                heartbeat(true);
                try {
                    for (int i = 0; i < controlTopics.size(); i++) {
                        controlTopics.get(i).removeMessageListener(controlListeners.get(i));
                    }
                } catch (RuntimeException e) {
                    log.debug("worker {}: could not remove its listeners", workerId, e);
                }
            }
            if (givenInstance == null) {
                hz.shutdown();
            }
            log.info("worker {} stopped", workerId);
        } finally {
            terminated.countDown();
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
        worker.start();
        worker.awaitTermination();
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
