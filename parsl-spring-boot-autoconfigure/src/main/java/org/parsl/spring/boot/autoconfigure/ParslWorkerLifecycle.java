package org.parsl.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.parsl.executors.hazelcast.HazelcastWorker;
import org.parsl.executors.hazelcast.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Worker mode: a {@link HazelcastWorker} that serves {@code parsl.worker.labels} with this
 * application's beans (its settings are checked with the bean; it connects when the context starts) — {@code @Async} calls sent as {@link RemoteBeanCall}s find the
 * {@link ParslAsyncInvoker}, and any task can look up the {@code ApplicationContext}, through
 * {@code WorkerContext.current().service(...)}. It joins the cluster when the context starts and
 * leaves when it stops; when the worker ends by itself (its cluster went away), it closes the context,
 * so the process exits rather than lingering. The worker connects on a thread of its own as soon as
 * this bean exists, while the rest of the context is created (a worker JVM starts on a machine busy
 * starting its siblings, and the connection took 0.4–0.8 s of its main thread); it takes tasks only
 * once the context has started.
 */
final class ParslWorkerLifecycle implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ParslWorkerLifecycle.class);

    private final ParslProperties properties;
    private final Set<String> allowedPackages;
    private final ParslAsyncInvoker invoker;
    private final ApplicationContext context;
    private final WorkerSettings settings;
    private volatile HazelcastWorker worker;
    /** The worker being connected ahead of {@link #start()}, and the connection's outcome. */
    private HazelcastWorker connecting;
    private CompletableFuture<Void> connected;

    /** @throws InvalidParslConfigurationException when a worker setting is invalid (checked by {@link WorkerSettings}) */
    ParslWorkerLifecycle(ParslProperties properties, Set<String> allowedPackages, ParslAsyncInvoker invoker,
            ApplicationContext context) {
        this.properties = properties;
        this.allowedPackages = allowedPackages;
        this.invoker = invoker;
        this.context = context;
        try {
            this.settings = settings();
        } catch (IllegalArgumentException e) {
            throw ParslSettingMessages.worker(e);
        }
        this.connecting = newWorker();
        HazelcastWorker w = connecting;
        this.connected = CompletableFuture.runAsync(w::connect, r -> {
            Thread t = new Thread(r, "parsl-worker-connect");
            t.setDaemon(true);
            t.start();
        });
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        HazelcastWorker started = connecting != null ? connecting : newWorker(); // a new one when started again after a stop
        if (connecting != null) {
            connecting = null;
            try {
                connected.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        started.start();
        worker = started;
        log.info("Parsl worker serving {} joined the cluster at {}", settings.labels(), settings.members());
        Thread watcher = new Thread(() -> closeContextWhenDone(started), "parsl-worker-watch");
        watcher.setDaemon(true);
        watcher.start();
        long parent = settings.parentPid();
        if (parent > 0) {
            // a worker whose launcher died (kill -9) must not linger: stop with it
            ProcessHandle.of(parent).map(ProcessHandle::onExit).ifPresentOrElse(
                    exit -> exit.thenRun(() -> closeContext("the application that launched it (PID " + parent + ") exited")),
                    () -> closeContext("the application that launched it (PID " + parent + ") is gone"));
        }
    }

    /**
     * The worker's settings: from the environment when a provider launched this application (it sets
     * every worker setting there), otherwise from {@code parsl.worker.*} and {@code parsl.hazelcast.*}.
     */
    private WorkerSettings settings() {
        if (System.getenv(WorkerSettings.ENABLED) != null) {
            return WorkerSettings.fromEnvironment(System.getenv());
        }
        ParslProperties.Worker w = properties.getWorker();
        ParslProperties.Hazelcast h = properties.getHazelcast();
        List<String> members = new ArrayList<>(h.getMembers());
        if (members.isEmpty()) {
            members.add(h.getInterface() + ":" + h.getPort());
        }
        WorkerSettings.Builder b = WorkerSettings.builder()
                .labels(new LinkedHashSet<>(w.getLabels()))
                .slots(w.getSlots() != null ? w.getSlots() : Runtime.getRuntime().availableProcessors())
                .members(members)
                .clusterName(h.getClusterName())
                .allowedPackages(allowedPackages)
                .accelerators(w.getAccelerators())
                .prefetchCapacity(w.getPrefetchCapacity())
                .heartbeatPeriod(w.getHeartbeatPeriod())
                .secret(h.getSecret())
                .workerId(w.getId());
        if (w.getParentPid() != null) {
            b.parentPid(w.getParentPid());
        }
        return b.build();
    }

    private void closeContext(String why) {
        if (context instanceof ConfigurableApplicationContext c && c.isActive()) {
            log.info("Parsl worker stops: {}", why);
            c.close();
        }
    }

    private void closeContextWhenDone(HazelcastWorker started) {
        try {
            started.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (worker == started) {
            closeContext("it ended on its own (its cluster went away)");
        }
    }

    @Override
    public synchronized void stop() {
        HazelcastWorker w = worker;
        worker = null;
        if (w != null) {
            w.close();
        }
    }

    private HazelcastWorker newWorker() {
        return HazelcastWorker.builder(settings)
                .classLoader(context.getClassLoader())
                .service(ParslAsyncInvoker.class, invoker)
                .service(ApplicationContext.class, context)
                .build();
    }

    /** A worker connected but never started (the context failed before it started) is disconnected. */
    @Override
    public synchronized void destroy() {
        HazelcastWorker w = connecting;
        connecting = null;
        if (w != null) {
            w.close(); // a connection still under way is shut down when it completes (HazelcastWorker.connect)
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }

    @Override
    public int getPhase() {
        return ParslDataFlowKernelLifecycle.PHASE;
    }
}
