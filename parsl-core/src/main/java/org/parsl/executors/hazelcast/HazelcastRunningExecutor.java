package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;
import org.parsl.providers.BlockRequest;
import org.parsl.providers.WorkerCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.topic.ITopic;

/**
 * A {@link HazelcastExecutor} started by one DataFlowKernel: it wires the parts of the DataFlowKernel's
 * side and owns their lifecycle — the {@link KernelMember} (topology), the {@link InFlight} tries, the
 * {@link LinkServer} (the workers' links; their reader threads are where futures complete), the
 * {@link Dispatcher} (tries to workers over their links), the {@link ResultReader} (outcomes back), the {@link WorkerRegistry} (heartbeats, liveness) and the {@link Scaler}
 * (blocks) — and reports their status.
 */
final class HazelcastRunningExecutor implements RunningExecutor {

    private static final Logger log = LoggerFactory.getLogger(HazelcastRunningExecutor.class);

    private final HazelcastExecutor spec;
    private final String label;
    private final String runId;
    private final Path runDir;
    private final String secret;
    private final Frames frames;
    private final TaskBatch.SerializedFunctions functions = new TaskBatch.SerializedFunctions();
    private final InFlight inFlight;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private KernelMember member;
    private ITopic<byte[]> control;
    private LinkServer links;
    private ScheduledExecutorService scheduler;
    private Dispatcher dispatcher;
    private ResultReader reader;
    private WorkerRegistry workers;
    private Scaler scaler;
    /** The member's address as blocks launched before it started were told. */
    private String plannedAddress;

    HazelcastRunningExecutor(HazelcastExecutor spec, ExecutorContext context) {
        this.spec = spec;
        this.label = spec.label();
        this.runId = context.runId();
        this.runDir = context.runDir();
        this.secret = spec.secret != null ? spec.secret : generatedSecret();
        this.frames = new Frames(secret);
        this.inFlight = new InFlight(this::publishCancel);
        Allowlist allowlist = new Allowlist(spec.allowedPackages, Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : HazelcastRunningExecutor.class.getClassLoader());
        boolean ok = false;
        try {
            this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "parsl-" + label + "-monitor");
                t.setDaemon(true);
                return t;
            });
            // Worker JVMs take seconds to boot, the member one or two: launch the first blocks before the
            // member, on a port found free for it now, so both boot at once (a worker retries until it is up).
            int port = spec.port;
            if (spec.hazelcastInstance == null && spec.provider.launchesWorkers() && spec.provider.initBlocks() > 0) {
                int free = freePort(spec.memberInterface, spec.port);
                if (free > 0) {
                    port = free;
                    plannedAddress = spec.memberInterface + ":" + free;
                    this.scaler = new Scaler(label, spec.provider, context.config(), spec.slotsPerWorker(), inFlight::size,
                            this::blockRequest);
                    scaler.start(scheduler);
                }
            }
            this.member = new KernelMember(spec, label, secret, port);
            if (plannedAddress != null && !plannedAddress.equals(member.address)) {
                log.warn("executor '{}': port {} was taken meanwhile; the member is at {}: the first blocks will not connect"
                        + " and are replaced", label, plannedAddress, member.address);
            }
            this.control = member.hz.getTopic(Channels.controlTopic(label));
            this.workers = new WorkerRegistry(label, frames, inFlight, spec.heartbeatThreshold.toMillis(), spec.heartbeatPeriod.toMillis(),
                    scheduler, () -> dispatcher.waitingIds());
            this.workers.start(member.hz);
            this.reader = new ResultReader(label, runId, frames, inFlight, workers, allowlist);
            this.links = new LinkServer(label, runId, frames, member.host(), reader, inFlight);
            this.dispatcher = new Dispatcher(label, runId, frames, functions, links::lanes, workers::isServing);
            links.onOpen(dispatcher::laneOpened);
            workers.onServing(dispatcher::kick);
            if (spec.secret == null && !spec.provider.launchesWorkers()) {
                writeSecretFile();
            }
            if (scaler == null) {
                this.scaler = new Scaler(label, spec.provider, context.config(), spec.slotsPerWorker(), inFlight::size, this::blockRequest);
                scaler.start(scheduler);
            }
            dispatcher.start();
            links.start(member.hz);
            scheduler.scheduleWithFixedDelay(links::announceAgain, LinkServer.ANNOUNCE_MILLIS, LinkServer.ANNOUNCE_MILLIS,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            ok = true;
            log.info("Hazelcast executor '{}' started: member {}, links {}, provider {}", label, member.address, links.address(),
                    spec.provider);
        } catch (IOException e) {
            throw new IllegalStateException("executor '" + label + "' could not listen for its workers' links on " + member.host() + ": " + e, e);
        } finally {
            if (!ok) {
                shutdown();
            }
        }
    }

    /** The first port from {@code from} that is free on {@code iface} now, or -1. */
    private static int freePort(String iface, int from) {
        for (int p = from; p < from + 100 && p <= 65535; p++) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress(iface, p));
                return p;
            } catch (IOException | RuntimeException taken) {
                // try the next one
            }
        }
        return -1;
    }

    private static String generatedSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The generated secret, for workers started by hand: created owner-only in one step, never readable by others. */
    private void writeSecretFile() {
        Path file = runDir.resolve(label + ".secret");
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            }
            Files.writeString(file, secret, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            log.warn("executor '{}' has no secret configured and its workers are started by hand: a secret was generated"
                    + " for this run in {} (readable by you only); give it to the workers as {}, or configure one", label, file,
                    WorkerSettings.SECRET);
        } catch (FileAlreadyExistsException e) {
            log.warn("executor '{}': {} exists already; not overwritten", label, file);
        } catch (IOException e) {
            log.warn("executor '{}': could not write the generated secret to {}", label, file, e);
        }
    }

    /** The settings of this executor's workers (without an id: each block gets its own). */
    WorkerSettings workerSettings() {
        return WorkerSettings.builder()
                .members(List.of(member != null ? member.address : plannedAddress))
                .clusterName(member != null ? member.clusterName : spec.clusterName) // before the member: an embedded one
                .clusterNameLiteral(member != null && member.literalClusterName)
                .secret(secret)
                .labels(List.of(label))
                .slots(spec.maxWorkersPerNode)
                .prefetchCapacity(spec.prefetchCapacity)
                .heartbeatPeriod(spec.heartbeatPeriod)
                .accelerators(spec.availableAccelerators)
                .allowedPackages(spec.allowedPackages)
                .parentPid(spec.provider.launchesOnThisMachine() ? ProcessHandle.current().pid() : 0)
                .build();
    }

    private BlockRequest blockRequest(String blockId) {
        WorkerSettings s = workerSettings().toBuilder().workerId(blockId).build();
        WorkerCommand command = new WorkerCommand(HazelcastWorker.jvmOptions(), System.getProperty("java.class.path"),
                HazelcastWorker.class.getName(), List.of());
        return new BlockRequest(blockId, command, s.toEnvironment(), runDir.resolve(blockId + ".log"));
    }

    // --- RunningExecutor

    @Override
    public String label() {
        return label;
    }

    @Override
    public void checkSubmittable(Object function) {
        try {
            functions.bytes(function); // kept: the dispatcher sends these bytes, it does not serialize again
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("task function " + function.getClass().getName() + " cannot be sent to executor '"
                    + label + "': it is not serializable (" + e.getMessage() + "). Use a lambda or class that captures only"
                    + " serializable values (pass other objects as task arguments, or look them up on the worker"
                    + " with WorkerContext.service)", e);
        }
    }

    /** This executor reports {@link ExecutorTask#bodyEnded()} when a worker reports a try's end or is lost. */
    @Override
    public boolean reportsBodyEnds() {
        return true;
    }

    /** Closing: no more scaling out (see {@link Scaler#drain()}). */
    @Override
    public void draining() {
        if (scaler != null) {
            scaler.drain();
        }
    }

    @Override
    public TaskHandle submit(ExecutorTask task) {
        if (stopped.get()) {
            task.failed(new RejectedExecutionException("executor '" + label + "' is shut down"));
            return any -> false;
        }
        Try t = inFlight.add(task);
        dispatcher.send(t);
        return t;
    }

    private void publishCancel(Try t, boolean interrupt) {
        try {
            control.publishAsync(frames.cancel(label, runId, t.taskId, t.tryNumber, interrupt));
        } catch (RuntimeException e) {
            log.debug("executor '{}': could not publish the cancellation of {}", label, t, e);
        }
    }

    @Override
    public ExecutorStatus status() {
        List<ExecutorStatus.WorkerInfo> infos = new ArrayList<>();
        int slots = 0;
        int busy = 0;
        for (WorkerRegistry.View w : workers == null ? List.<WorkerRegistry.View>of() : workers.connected()) {
            Heartbeat h = w.heartbeat();
            infos.add(new ExecutorStatus.WorkerInfo(h.workerId(), h.host(), h.slots(), h.busy(), w.lastSeenMillis()));
            slots += h.slots();
            busy += h.busy();
        }
        boolean running = !stopped.get() && member != null && member.isRunning();
        long outstanding = inFlight.size();
        long queued = Math.max(0, outstanding - inFlight.taken());
        String problem = running ? null : "Hazelcast member is not running";
        if (running && outstanding > 0 && infos.isEmpty() && !spec.provider.launchesWorkers()) {
            problem = "tasks are waiting and no worker is connected: start workers with the HazelcastWorker command";
        }
        if (running && problem == null && scaler != null && scaler.problem() != null) {
            problem = scaler.problem(); // blocks keep failing at start
        }
        problem = problem == null && running && workers != null ? workers.problem() : problem;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("max-workers-per-node", spec.maxWorkersPerNode);
        settings.put("prefetch-capacity", spec.prefetchCapacity);
        settings.put("heartbeat-period", spec.heartbeatPeriod.toString());
        settings.put("heartbeat-threshold", spec.heartbeatThreshold.toString());
        settings.put("available-accelerators", spec.availableAccelerators);
        settings.put("provider", spec.provider.toString());
        settings.put("cluster-name", spec.hazelcastInstance == null ? spec.clusterName : "(the given HazelcastInstance's)");
        settings.put("member", member == null ? "" : member.address);
        settings.put("links", links == null ? "" : links.address());
        settings.put("allowed-packages", spec.allowedPackages);
        settings.put("dropped-frames", frames.dropped());
        return new ExecutorStatus(label, "hazelcast", running && problem == null, problem, infos.size(), slots, busy,
                scaler == null ? 0 : scaler.activeBlocks(), queued, infos, settings);
    }

    /** Tries submitted and not yet ended. */
    int outstanding() {
        return inFlight.size();
    }

    /** Frames dropped because they did not authenticate or were malformed. */
    long droppedFrames() {
        return frames.dropped();
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
            dispatcher.stop();
        }
        if (links != null) {
            links.stop();
        }
        if (scaler != null) {
            scaler.stopAll();
        }
        for (Try t : inFlight.snapshot()) {
            t.cancel(true);
        }
        for (Try t : inFlight.drainingSnapshot()) {
            t.bodyEnded(); // stopped: nothing more will be heard of these bodies
        }
        if (member != null) {
            try {
                if (member.isRunning()) {
                    if (workers != null) {
                        workers.stop();
                    }
                }
            } catch (RuntimeException e) {
                log.debug("executor '{}': cleanup of Hazelcast structures failed", label, e);
            }
            member.stop();
        }
        log.info("Hazelcast executor '{}' stopped", label);
    }
}
