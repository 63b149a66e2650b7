package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.Invocation;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ExecutorStatus;
import org.parsl.providers.ExternalProvider;
import org.parsl.providers.LocalProvider;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;

/**
 * The attacks of issue 10 on the cluster and on the links tasks and results travel on.
 *
 * <p>The cluster-side attacks are made by {@link Intruder}, a plain Hazelcast client on loopback that
 * knows the member's port and the configured cluster name but not the secret. That client cannot
 * connect at all (the first test), so every other attack is made as an "insider" who knows the real
 * (derived) cluster name but still not the secret, to show the defences behind the cluster name hold
 * too. Tasks and results no longer pass through the cluster: the insider can reach the map of link
 * endpoints ({@code parsl.links.<label>}), the heartbeat and control topics, and — as any local
 * process can — the TCP port of each executor's {@link LinkServer}, where {@link LinkPeer} plays a
 * stranger that cannot complete the handshake.
 *
 * <p>The in-frame and deadline defences (a replayed task frame or result frame on an authenticated
 * link; tries sent to a linked worker that never starts them) cannot be reached without the secret,
 * so those tests (replay, the unacknowledged-try deadline, the huge-array result) use a peer that holds
 * it — a recorded stream played back, or a worker that links and heartbeats but never runs what it is
 * sent.
 *
 * <p>Executor {@code hz} has a worker JVM and a worker in this JVM (one slot each, no prefetch);
 * executor {@code solo} has one worker in this JVM (deterministic replays). Every test ends by showing
 * that tasks still complete with their right values and that no code of the attacker ran.
 */
class AttackIT {

    static final Duration PERIOD = Duration.ofMillis(500);
    static final Duration THRESHOLD = Duration.ofSeconds(3);
    static final String SECRET = "attack-it-secret-" + UUID.randomUUID();

    static Path dir;
    static Path markers;
    static DataFlowKernel dfk;
    static ParslPoolExecutor hz;
    static ParslPoolExecutor solo;
    static HazelcastWorker hzWorker;
    static HazelcastWorker soloWorker;
    static HazelcastInstance insider;
    static HazelcastInstance soloInsider;
    static WorkerLossIT.Recorder recorder = new WorkerLossIT.Recorder();
    static Frames frames = new Frames(SECRET);

    Path release;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parsl-attack-it");
        markers = Files.createDirectories(dir.resolve("markers"));
        Config config = Config.builder()
                .executor(ItSupport.executor("hz").secret(SECRET).maxWorkersPerNode(1).prefetchCapacity(0)
                        .heartbeatPeriod(PERIOD).heartbeatThreshold(THRESHOLD)
                        .provider(LocalProvider.builder().initBlocks(1).maxBlocks(1).build()).build())
                .executor(ItSupport.executor("solo").secret(SECRET).maxWorkersPerNode(1).prefetchCapacity(0)
                        .heartbeatPeriod(PERIOD).heartbeatThreshold(THRESHOLD).provider(new ExternalProvider()).build())
                .strategy("none").retries(1).runDir(dir).build();
        dfk = Parsl.load(config);
        dfk.addListener(recorder);
        hz = new ParslPoolExecutor(dfk, List.of("hz"));
        solo = new ParslPoolExecutor(dfk, List.of("solo"));
        hzWorker = inProcessWorker("hz", "hz-in-process");
        soloWorker = inProcessWorker("solo", "solo-in-process");
        await().atMost(Duration.ofSeconds(90)).until(() -> status("hz").connectedWorkers() == 2 && status("solo").connectedWorkers() == 1);
        insider = Intruder.insider(ItSupport.CLUSTER_BASE, SECRET, member("hz"));
        soloInsider = Intruder.insider(ItSupport.CLUSTER_BASE, SECRET, member("solo"));
    }

    private static HazelcastWorker inProcessWorker(String label, String id) {
        WorkerSettings s = ItSupport.running(dfk, label).workerSettings().toBuilder().workerId(id).parentPid(0).build();
        HazelcastWorker w = HazelcastWorker.builder(s).build();
        w.start();
        return w;
    }

    @AfterAll
    static void stop() throws Exception {
        for (HazelcastInstance i : new HazelcastInstance[] {insider, soloInsider}) {
            if (i != null) {
                i.shutdown();
            }
        }
        for (HazelcastWorker w : new HazelcastWorker[] {hzWorker, soloWorker}) {
            if (w != null) {
                w.close();
            }
        }
        for (ParslPoolExecutor p : new ParslPoolExecutor[] {hz, solo}) {
            if (p != null) {
                p.shutdownNow();
            }
        }
        if (dfk != null) {
            dfk.cleanup();
        }
    }

    @BeforeEach
    void newRelease() {
        release = dir.resolve("release-" + UUID.randomUUID());
    }

    @AfterEach
    void noAttackerCodeRanAndTasksStillComplete() throws Exception {
        try {
            Files.createFile(release);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // released by the test
        }
        assertNoMarkers();
        assertServes(hz);
        assertServes(solo);
        assertNoMarkers();
    }

    static ExecutorStatus status(String label) {
        return dfk.executorStatuses().stream().filter(s -> s.label().equals(label)).findFirst().orElseThrow();
    }

    static String member(String label) {
        return (String) status(label).settings().get("member");
    }

    static long dfkDropped(String label) {
        return ((Number) status(label).settings().get("dropped-frames")).longValue();
    }

    private static void assertNoMarkers() throws Exception {
        try (Stream<Path> files = Files.list(markers)) {
            assertThat(files.map(Path::getFileName).map(Path::toString).toList()).as("code of the attacker that ran").isEmpty();
        }
    }

    private static void assertServes(ParslPoolExecutor pool) throws Exception {
        TaskFunction<Integer, Integer> times7 = x -> x * 7;
        List<AppFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fs.add(pool.submit(times7, i));
        }
        for (int i = 0; i < fs.size(); i++) {
            assertThat(fs.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * 7);
        }
    }

    /** Tasks that hold a slot until the test's release file exists. */
    private List<AppFuture<String>> block(ParslPoolExecutor pool, int n) {
        String r = release.toString();
        TaskCallable<String> blocker = () -> {
            while (!Files.exists(Path.of(r))) {
                Thread.sleep(20);
            }
            return "released";
        };
        List<AppFuture<String>> bs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bs.add(pool.submit(blocker));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> bs.stream().allMatch(b -> b.state() == TaskState.RUNNING));
        return bs;
    }

    private void releaseAll(List<AppFuture<String>> blockers) throws Exception {
        Files.createFile(release);
        for (AppFuture<String> b : blockers) {
            assertThat(b.get(60, TimeUnit.SECONDS)).isEqualTo("released");
        }
    }


    /** What a worker logs for each entry of a link map that is not an authentic endpoint frame. */
    static final String NOT_AN_ENDPOINT = "dropped an entry of " + Channels.linkMap("hz");

    static String links(String label) {
        return (String) status(label).settings().get("links");
    }

    /**
     * How many lines of the worker JVMs' logs ({@code <runDir>/<label>-*.log}) contain {@code needle}:
     * how a test knows the worker JVM has handled what it was sent, as the in-process worker's
     * {@code droppedFrames()} tells for that one.
     */
    static long workerJvmLogLines(String label, String needle) throws IOException {
        long n = 0;
        try (Stream<Path> files = Files.list(dfk.runDir())) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(label + "-") && f.toString().endsWith(".log")).toList()) {
                for (String line : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n")) {
                    if (line.contains(needle)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** A heartbeat of a worker that does not exist. */
    static Heartbeat ghost() {
        return new Heartbeat("ghost", "nowhere", 1, 64, 0, 0, List.of("hz"), "", 1, 1, false);
    }

    /**
     * Sets an entry of a link map: with {@code set}, never {@code put}, whose answer (the old value)
     * would be deserialized in this JVM by the insider, which has no serialization filter.
     */
    static void announce(IMap<String, Object> endpoints, String key, Object value) {
        endpoints.set(key, value);
    }

    // --- 2. open cluster

    @Test
    void aClientWithTheConfiguredClusterNameButNotTheSecretCannotConnectWhileTheDerivedNameAdmits() {
        String configured = (String) status("hz").settings().get("cluster-name");
        assertThat(configured).isEqualTo(ItSupport.CLUSTER_BASE);
        assertThatThrownBy(() -> Intruder.connect(configured, member("hz"), 3_000).shutdown()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Intruder.connect("parsl", member("hz"), 3_000).shutdown()).isInstanceOf(IllegalStateException.class);
        assertThat(insider.getLifecycleService().isRunning()).isTrue(); // the premise of every insider test below
    }

    // --- 1. code execution

    @Test
    void noReadObjectOfAnAttackersClassRunsInAnyOfOurJvms() throws Exception {
        Intruder.Gadget gadget = new Intruder.Gadget(markers);
        Frames otherKey = new Frames("another-secret-" + UUID.randomUUID());
        IMap<String, Object> endpoints = insider.getMap(Channels.linkMap("hz"));
        ITopic<Object> heartbeats = insider.getTopic(Channels.heartbeatTopic("hz"));
        ITopic<Object> control = insider.getTopic(Channels.controlTopic("hz"));
        String key = "gadget-" + UUID.randomUUID();
        long workerBefore = hzWorker.droppedFrames();
        long dfkBefore = dfkDropped("hz");
        long jvmBefore = workerJvmLogLines("hz", NOT_AN_ENDPOINT);
        try {
            for (int i = 0; i < 3; i++) {
                announce(endpoints, key, gadget); // the workers' entry listeners are given the value
                heartbeats.publish(gadget);
                control.publish(gadget);
            }
            assertThatThrownBy(() -> insider.getExecutorService("parsl-attack").submit((java.util.concurrent.Callable<String>) gadget)
                    .get(30, TimeUnit.SECONDS)).isNotNull();
            assertThatThrownBy(() -> insider.getExecutorService("parsl-attack").submitToAllMembers((java.util.concurrent.Callable<String>) gadget)
                    .values().iterator().next().get(30, TimeUnit.SECONDS)).isNotNull();
            assertThatThrownBy(() -> insider.getMap("parsl-attack").executeOnKey("k", gadget)).isNotNull();
            // Behind the gadgets, frames sealed with another secret: under the same key (its events come in
            // order, from one partition) and from the same publisher on each topic, so once they are counted
            // every gadget before them was handled (and refused by the serialization filter).
            announce(endpoints, key, LinkPeer.endpoint(otherKey, "hz", key, "127.0.0.1", 1));
            heartbeats.publish(otherKey.heartbeat("hz", ghost()));
            control.publish(otherKey.cancel("hz", dfk.runId(), 1, 0, true));
            await().atMost(Duration.ofSeconds(30)).until(() -> hzWorker.droppedFrames() >= workerBefore + 2
                    && dfkDropped("hz") >= dfkBefore + 1 && workerJvmLogLines("hz", NOT_AN_ENDPOINT) >= jvmBefore + 1);
        } finally {
            endpoints.delete(key);
        }
        assertServes(hz);
        assertNoMarkers();
    }

    @Test
    void aHashSetBombOfJdkClassesDoesNotHangTheWorkersEndpointListenersNorTheHeartbeatReader() throws Exception {
        // wrapped so that Hazelcast writes it with Java serialization (which shares the nested sets), not
        // with its own HashSet serializer (which would write all 2^100 of them, on the attacker's side)
        Set<Object> bomb = java.util.Collections.unmodifiableSet(Intruder.hashSetBomb());
        Frames otherKey = new Frames("another-secret-" + UUID.randomUUID());
        IMap<String, Object> endpoints = insider.getMap(Channels.linkMap("hz"));
        ITopic<Object> heartbeats = insider.getTopic(Channels.heartbeatTopic("hz"));
        String key = "bomb-" + UUID.randomUUID();
        long workerBefore = hzWorker.droppedFrames();
        long dfkBefore = dfkDropped("hz");
        long jvmBefore = workerJvmLogLines("hz", NOT_AN_ENDPOINT);
        try {
            announce(endpoints, key, bomb);
            heartbeats.publish(bomb);
            // the same sync points as above: what comes after the bomb is handled, so the bomb was too
            announce(endpoints, key, LinkPeer.endpoint(otherKey, "hz", key, "127.0.0.1", 1));
            heartbeats.publish(otherKey.heartbeat("hz", ghost()));
            await().atMost(Duration.ofSeconds(30)).until(() -> hzWorker.droppedFrames() >= workerBefore + 1
                    && dfkDropped("hz") >= dfkBefore + 1 && workerJvmLogLines("hz", NOT_AN_ENDPOINT) >= jvmBefore + 1);
        } finally {
            endpoints.delete(key);
        }
        long start = System.nanoTime();
        assertServes(hz);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    // --- 2. plaintext

    @Test
    void nothingTheInsiderCanReadInTheClusterHoldsAnArgumentTheRunIdAWorkerIdOrTheLinkServersAddress() throws Exception {
        String r = release.toString();
        String secretArgument = "plaintext-argument-" + UUID.randomUUID();
        TaskFunction<String, String> echoWhenReleased = s -> {
            while (!Files.exists(Path.of(r))) {
                Thread.sleep(20);
            }
            return "echo:" + s;
        };
        List<AppFuture<String>> echoes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            echoes.add(hz.submit(echoWhenReleased, secretArgument + "-" + i));
        }
        // two run (one slot on each worker), two wait for room in the DataFlowKernel
        await().atMost(Duration.ofSeconds(30)).until(() -> echoes.stream().filter(f -> f.state() == TaskState.RUNNING).count() == 2);
        List<Object> heard = new CopyOnWriteArrayList<>();
        List<Object> cancels = new CopyOnWriteArrayList<>();
        ITopic<Object> hb = insider.getTopic(Channels.heartbeatTopic("hz"));
        ITopic<Object> control = insider.getTopic(Channels.controlTopic("hz"));
        UUID hl = hb.addMessageListener(m -> heard.add(m.getMessageObject()));
        UUID cl = control.addMessageListener(m -> cancels.add(m.getMessageObject()));
        AppFuture<String> cancelled = echoes.stream().filter(f -> f.state() == TaskState.RUNNING).findFirst().orElseThrow();
        Map<String, List<Object>> readable;
        try {
            assertThat(cancelled.cancel(true)).isTrue(); // a cancel request goes out on the control topic; a waiting task takes its slot
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.size() >= 6 && !cancels.isEmpty()
                    && echoes.stream().filter(f -> f.state() == TaskState.RUNNING).count() == 2);
            readable = Intruder.readable(insider);
        } finally {
            hb.removeMessageListener(hl);
            control.removeMessageListener(cl);
        }
        String address = links("hz");
        String host = address.substring(0, address.lastIndexOf(':'));
        byte[] port = ByteBuffer.allocate(4).putInt(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))).array();
        List<String> clear = new ArrayList<>(List.of(secretArgument, dfk.runId(), address, host, AttackIT.class.getName(), "echo:"));
        List<String> workerIds = status("hz").workers().stream().map(ExecutorStatus.WorkerInfo::id).toList();
        assertThat(workerIds).hasSize(2).contains("hz-in-process");
        clear.addAll(workerIds);

        // the link server's endpoint is there, under the run id, sealed: it says where to connect to whom holds the secret only
        Object endpoint = insider.getMap(Channels.linkMap("hz")).get(dfk.runId());
        assertThat(endpoint).isInstanceOf(byte[].class);
        assertThat(readable).containsKey("hz:impl:mapService:" + Channels.linkMap("hz"));
        assertThat(readable.keySet()).as("structures the insider can list").noneMatch(n -> n.contains(dfk.runId()));
        for (Map.Entry<String, List<Object>> e : readable.entrySet()) {
            List<Object> items = new ArrayList<>(e.getValue());
            if (e.getKey().endsWith(":" + Channels.linkMap("hz"))) {
                items.remove(dfk.runId()); // the endpoint's key: the run id, which workers look it up by (not a secret)
                assertThat(items).as("endpoint frames").allMatch(v -> v instanceof byte[]);
            }
            for (String c : clear) {
                assertThat(items).as("items of %s holding '%s'", e.getKey(), c).noneMatch(i -> Intruder.holds(i, c));
            }
            assertThat(items).as("items of %s holding the link server's port", e.getKey())
                    .noneMatch(i -> i instanceof byte[] b && Intruder.contains(b, port));
        }
        for (String c : clear) {
            assertThat(heard).as("heartbeat frames holding '%s'", c).noneMatch(f -> Intruder.holds(f, c));
            assertThat(cancels).as("cancel frames holding '%s'", c).noneMatch(f -> Intruder.holds(f, c));
        }
        assertThat(heard).allMatch(f -> f instanceof byte[]);
        assertThat(cancels).allMatch(f -> f instanceof byte[]);

        Files.createFile(release);
        for (int i = 0; i < echoes.size(); i++) {
            AppFuture<String> f = echoes.get(i);
            if (f == cancelled) {
                assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
            } else {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("echo:" + secretArgument + "-" + i);
            }
        }
    }

    // --- 4. forged items

    @Test
    void forgedHellosEndpointsHeartbeatsAndCancelsChangeNothingAndAreCounted() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        AppFuture<String> target = blockers.get(0);
        String runId = dfk.runId();
        String address = links("hz");
        Frames otherKey = new Frames("another-secret-" + UUID.randomUUID());
        long dfkBefore = dfkDropped("hz");
        long soloBefore = dfkDropped("solo");
        long workerBefore = hzWorker.droppedFrames();
        long jvmBefore = workerJvmLogLines("hz", NOT_AN_ENDPOINT);

        // results can only come on a link: strangers at the link server, each closed by it, counted, and sent nothing
        ResultBatch.Writer rw = new ResultBatch.Writer("hz", "forger");
        rw.add(Frames.ERROR, target.taskId(), 0, Payloads.error(new IllegalStateException("forged failure")));
        byte[] forgedResult = otherKey.seal(Frames.RESULTS, Channels.resultQueue(runId), rw.finish());
        int hellos = 0;
        try (LinkPeer p = LinkPeer.connect(address)) { // another secret, and a forged result right behind it
            byte[] challenge = p.read();
            assertThat(challenge).hasSize(Link.CHALLENGE_BYTES);
            p.write(LinkPeer.hello(otherKey, "hz", runId, challenge, "forger", 8, LinkPeer.challenge()), forgedResult);
            assertThat(p.closedByPeer()).as("closed after a hello sealed with another secret").isTrue();
            hellos++;
        }
        for (int at : new int[] {1, 2, 20, -1}) { // a worker's hello changed on its way
            try (LinkPeer p = LinkPeer.connect(address)) {
                byte[] valid = LinkPeer.hello(frames, "hz", runId, p.read(), "forger", 8, LinkPeer.challenge());
                p.write(Intruder.flipped(valid, at < 0 ? valid.length + at : at));
                assertThat(p.closedByPeer()).as("closed after a hello with bit %d flipped", at).isTrue();
                hellos++;
            }
        }
        try (LinkPeer p = LinkPeer.connect(address)) { // junk
            p.read();
            p.write(new byte[] {1, 2, 3});
            assertThat(p.closedByPeer()).as("closed after junk").isTrue();
            hellos++;
        }
        try (LinkPeer p = LinkPeer.connect(address)) { // a "hello" of 2 GB
            p.read();
            p.writeRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
            assertThat(p.closedByPeer()).as("closed after a huge declared length").isTrue();
            hellos++;
        }
        try (LinkPeer first = LinkPeer.connect(address); LinkPeer second = LinkPeer.connect(address)) {
            byte[] firstChallenge = first.read();
            second.read();
            // a hello made for the first connection's challenge (as recorded), replayed on the second
            second.write(LinkPeer.hello(frames, "hz", runId, firstChallenge, "forger", 8, LinkPeer.challenge()));
            assertThat(second.closedByPeer()).as("closed after a hello replayed under another challenge").isTrue();
            hellos++;
            first.write(forgedResult); // a result frame instead of a hello
            assertThat(first.closedByPeer()).as("closed after a result frame as its hello").isTrue();
            hellos++;
        }

        // heartbeats of a worker that does not exist, and junk
        Heartbeat ghost = ghost();
        byte[] validHb = frames.heartbeat("hz", ghost);
        List<Object> forgedHeartbeats = new ArrayList<>(List.of(otherKey.heartbeat("hz", ghost), frames.heartbeat("solo", ghost),
                Intruder.flipped(validHb, 20), Intruder.flipped(validHb, validHb.length - 1), "heartbeat", new byte[40]));
        ITopic<Object> heartbeats = insider.getTopic(Channels.heartbeatTopic("hz"));
        for (Object f : forgedHeartbeats) {
            heartbeats.publish(f);
        }

        // cancel requests for the running task (interrupt), forged
        byte[] validCancel = frames.cancel("hz", runId, target.taskId(), 0, true);
        List<Object> forgedCancels = new ArrayList<>(List.of(otherKey.cancel("hz", runId, target.taskId(), 0, true),
                frames.cancel("solo", runId, target.taskId(), 0, true), Intruder.flipped(validCancel, 30), "cancel", new byte[5]));
        ITopic<Object> control = insider.getTopic(Channels.controlTopic("hz"));
        for (Object f : forgedCancels) {
            control.publish(f);
        }

        // task sources: endpoints in the link map that would send the workers to a listener of the
        // attacker's, which would welcome them and send a task whose body leaves a marker
        String marker = markers.resolve("forged-task-ran").toString();
        TaskCallable<String> evil = () -> {
            Files.createFile(Path.of(marker));
            return "pwned";
        };
        String key = "forged-endpoint-" + UUID.randomUUID();
        TaskBatch.Writer tw = new TaskBatch.Writer(key);
        tw.add(1_000_000, 0, "evil", Invocation.of(evil, new Object[0]), new TaskBatch.SerializedFunctions());
        byte[] evilTasks = otherKey.seal(Frames.TASKS, Channels.linkTasks("hz", key), tw.finish());
        byte[] welcome = otherKey.seal(Frames.WELCOME, Channels.linkHandshake("hz", key, new byte[Link.CHALLENGE_BYTES]), new Frames.Out(0));
        IMap<String, Object> endpoints = insider.getMap(Channels.linkMap("hz"));
        byte[] authenticHz = (byte[]) endpoints.get(runId);
        byte[] authenticSolo = (byte[]) soloInsider.getMap(Channels.linkMap("solo")).get(runId);
        assertThat(authenticHz).isNotNull();
        assertThat(authenticSolo).isNotNull();
        try (LinkPeer.Trap trap = new LinkPeer.Trap(LinkPeer.challenge(), welcome, evilTasks)) {
            byte[] toTrap = LinkPeer.endpoint(otherKey, "hz", key, trap.host(), trap.port());
            // all under one key, so the workers get them in order; the last one is the sync point
            List<Object> notOpening = List.of(toTrap, authenticSolo, Intruder.flipped(authenticHz, 30), "not a frame at all",
                    new byte[] {1, 2, 3}, Intruder.flipped(toTrap, toTrap.length - 1));
            try {
                announce(endpoints, key, authenticHz); // authentic, but moved to another key: another run id than its own
                for (Object f : notOpening) {
                    announce(endpoints, key, f);
                }
                int expectedAtWorker = 1 + notOpening.size() + forgedCancels.size();
                int expectedAtDfk = hellos + forgedHeartbeats.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> dfkDropped("hz") >= dfkBefore + expectedAtDfk
                        && hzWorker.droppedFrames() >= workerBefore + expectedAtWorker
                        && workerJvmLogLines("hz", NOT_AN_ENDPOINT) >= jvmBefore + notOpening.size());
                assertThat(ItSupport.running(dfk, "hz").droppedFrames()).isGreaterThanOrEqualTo(dfkBefore + expectedAtDfk);
            } finally {
                endpoints.delete(key);
            }
            assertThat(trap.connections()).as("workers sent to the attacker's listener").isZero();
        }
        assertThat(frames.open(endpoints.get(runId), Frames.ENDPOINT, Channels.linkMap("hz"))).as("the real endpoint, still there").isNotNull();
        assertThat(dfkDropped("solo")).as("hellos at the solo link server (a worker sent there by the copied endpoint)").isEqualTo(soloBefore);
        assertThat(status("hz").connectedWorkers()).isEqualTo(2);
        assertThat(status("hz").workers()).noneMatch(w -> w.id().equals("ghost"));
        assertThat(target).isNotDone();
        assertThat(target.state()).isEqualTo(TaskState.RUNNING);
        releaseAll(blockers);
        assertThat(recorder.failures.get(target.taskId())).isNull();
        assertThat(Path.of(marker)).doesNotExist();
    }

    // --- 5. replay (a peer that holds the secret: a recorded stream played back)

    @Test
    void aReplayedTaskFrameOnALinkRunsNothingAndAReplayedResultFrameChangesNothingAndBothAreCounted() throws Exception {
        Path runs = dir.resolve("runs-" + UUID.randomUUID());
        String runsPath = runs.toString();
        TaskFunction<Integer, Integer> counted = x -> {
            Files.writeString(Path.of(runsPath), "ran\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return x + 1;
        };
        Allowlist allowlist = new Allowlist(List.of(), getClass().getClassLoader());

        // (a) as the link server of a run of its own: the worker links to it, is sent one task frame three times
        String madeUp = "made-up-run-" + UUID.randomUUID();
        IMap<String, Object> endpoints = soloInsider.getMap(Channels.linkMap("solo"));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LinkPeer worker = null;
            try {
                announce(endpoints, madeUp, LinkPeer.endpoint(frames, "solo", madeUp, server.getInetAddress().getHostAddress(),
                        server.getLocalPort()));
                worker = LinkPeer.accept(server, frames, "solo", madeUp);
                assertThat(worker.workerId).isEqualTo("solo-in-process");
                assertThat(worker.room).isEqualTo(1);
                TaskBatch.Writer tw = new TaskBatch.Writer(madeUp);
                tw.add(7, 0, "counted", Invocation.of(counted, new Object[] {41}), new TaskBatch.SerializedFunctions());
                byte[] task = frames.seal(Frames.TASKS, Channels.linkTasks("solo", madeUp), tw.finish());
                long workerBefore = soloWorker.droppedFrames();
                worker.write(task, task, task);
                ResultBatch.Record result = null;
                while (result == null) { // the worker's result frames (an acknowledgement may come on its own first)
                    Frames.Opened o = frames.open(worker.read(), Frames.RESULTS, Channels.resultQueue(madeUp));
                    assertThat(o).as("a result frame of the worker, sealed for this run").isNotNull();
                    ResultBatch.Batch b = ResultBatch.read(o);
                    assertThat(b.label()).isEqualTo("solo");
                    assertThat(b.workerId()).isEqualTo("solo-in-process");
                    for (ResultBatch.Record rec : b.records()) {
                        assertThat(rec.taskId()).isEqualTo(7);
                        if (rec.kind() != Frames.TAKEN) {
                            result = rec;
                        }
                    }
                }
                assertThat(result.kind()).isEqualTo(Frames.RESULT);
                assertThat(Payloads.readValue(result.payload(), allowlist)).isEqualTo(42);
                await().atMost(Duration.ofSeconds(30)).until(() -> soloWorker.droppedFrames() >= workerBefore + 2);
                assertThat(soloWorker.droppedFrames()).isEqualTo(workerBefore + 2);
                assertThat(Files.readAllLines(runs)).hasSize(1);
                endpoints.delete(madeUp); // withdrawn: the worker closes the link
                assertThat(worker.closedByPeer()).as("the worker closed the link of the withdrawn endpoint").isTrue();
            } finally {
                endpoints.delete(madeUp);
                if (worker != null) {
                    worker.close();
                }
            }
        }

        // (b) as a worker linked to the DataFlowKernel: a result frame for a task that finished, sent twice
        TaskFunction<Integer, Integer> plusOne = x -> x + 1;
        AppFuture<Integer> once = solo.submit(plusOne, 41);
        assertThat(once.get(60, TimeUnit.SECONDS)).isEqualTo(42);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.finals.containsKey(once.taskId()));
        long dfkBefore = dfkDropped("solo");
        ResultBatch.Writer w = new ResultBatch.Writer("solo", "solo-in-process");
        w.add(Frames.RESULT, once.taskId(), 0, Payloads.value(99));
        w.add(Frames.RESULT, once.taskId(), 1, Payloads.value(99));
        byte[] resultFrame = frames.seal(Frames.RESULTS, Channels.resultQueue(dfk.runId()), w.finish());
        try (LinkPeer replayer = LinkPeer.link(links("solo"), frames, "solo", dfk.runId(), "replayer-" + UUID.randomUUID(), 1)) {
            replayer.write(resultFrame, resultFrame);
            await().atMost(Duration.ofSeconds(30)).until(() -> dfkDropped("solo") >= dfkBefore + 1);
        }
        assertThat(once.get()).isEqualTo(42);
        assertThat(recorder.finals.get(once.taskId()).get()).isEqualTo(1);
        assertServes(solo);
        assertThat(Files.readAllLines(runs)).hasSize(1);
    }

    // --- 3. silent loss (a worker that holds the secret, links and heartbeats, and never starts what it is sent)

    /** Reads task frames on a fake worker's link until {@code n} tasks came. */
    private static List<TaskBatch.Task> readTasks(LinkPeer fake, String label, int n) throws IOException {
        List<TaskBatch.Task> got = new ArrayList<>();
        while (got.size() < n) {
            Frames.Opened o = frames.open(fake.read(), Frames.TASKS, Channels.linkTasks(label, dfk.runId()));
            assertThat(o).as("an authentic task frame of the link").isNotNull();
            got.addAll(TaskBatch.read(o));
        }
        return got;
    }

    @Test
    void triesSentToALinkedWorkerThatNeverStartsThemFailAsNeverAcknowledgedWithinTheDeadlineAndRetriesRunThem() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2); // the real workers have no room now
        String id = "never-starts-" + UUID.randomUUID();
        TaskFunction<Integer, Integer> plus = x -> x + 1000;
        List<AppFuture<Integer>> sent = new ArrayList<>();
        try (LinkPeer fake = LinkPeer.link(links("hz"), frames, "hz", dfk.runId(), id, 3)) {
            // linked, but not serving before its first heartbeat: the tries wait for room in the DataFlowKernel,
            // and all go to the fake worker in one frame when it starts heartbeating (one deadline for all three)
            for (int i = 0; i < 3; i++) {
                sent.add(hz.submit(plus, i));
            }
            assertThat(sent).allMatch(f -> f.state() == TaskState.LAUNCHED);
            try (LinkPeer.Heartbeats beats = new LinkPeer.Heartbeats(insider, frames, "hz", id, 3, PERIOD)) {
                List<TaskBatch.Task> got = readTasks(fake, "hz", 3);
                long sentAt = System.nanoTime();
                assertThat(status("hz").workers()).anyMatch(w -> w.id().equals(id));
                assertThat(got).extracting(TaskBatch.Task::taskId)
                        .containsExactlyInAnyOrderElementsOf(sent.stream().map(AppFuture::taskId).toList());
                assertThat(got).extracting(TaskBatch.Task::tryNumber).containsOnly(0);
                await().atMost(THRESHOLD.plusSeconds(10)).until(() -> sent.stream().allMatch(f -> recorder.failures.containsKey(f.taskId())));
                Duration noticed = Duration.ofNanos(System.nanoTime() - sentAt);
                assertThat(noticed).isLessThan(THRESHOLD.plusSeconds(8));
                for (AppFuture<Integer> f : sent) {
                    assertThat(recorder.failures.get(f.taskId())).singleElement()
                            .isInstanceOf(WorkerLost.class).satisfies(t -> assertThat(t.getMessage()).contains("never acknowledged"));
                }
                List<byte[]> after = new ArrayList<>();
                assertThat(fake.drainUntilClosed(after)).as("the DataFlowKernel closed the link").isTrue();
                assertThat(after).as("frames sent on the link after its tries failed").isEmpty();
            }
        }
        releaseAll(blockers);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i + 1000);
        }
        for (AppFuture<Integer> f : sent) {
            assertThat(recorder.failures.get(f.taskId())).hasSize(1);
        }
    }

    @Test
    void aTaskALinkedWorkerNeverStartsFailsWithAClearErrorWhenItsRetriesAreUsedUp() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        String id = "never-starts-" + UUID.randomUUID();
        List<TaskBatch.Task> got = new CopyOnWriteArrayList<>();
        AtomicInteger linked = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<LinkPeer> current = new AtomicReference<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread relinker = new Thread(() -> {
            // links again each time the DataFlowKernel closes its link, as a live worker would
            while (!stop.get() && errors.size() < 20) {
                LinkPeer fake;
                try {
                    fake = LinkPeer.link(links("hz"), frames, "hz", dfk.runId(), id, 1);
                } catch (IOException | RuntimeException e) {
                    if (!stop.get()) {
                        errors.add(e);
                    }
                    continue;
                }
                try (fake) {
                    current.set(fake);
                    if (stop.get()) {
                        return;
                    }
                    linked.incrementAndGet();
                    while (true) {
                        Frames.Opened o = frames.open(fake.read(), Frames.TASKS, Channels.linkTasks("hz", dfk.runId()));
                        if (o == null) {
                            throw new IllegalStateException("a task frame that does not open");
                        }
                        got.addAll(TaskBatch.read(o));
                    }
                } catch (IOException e) {
                    // closed by the DataFlowKernel (or by the test): link again
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }, "attack-it-relinker");
        relinker.setDaemon(true);
        try (LinkPeer.Heartbeats beats = new LinkPeer.Heartbeats(insider, frames, "hz", id, 1, PERIOD)) {
            relinker.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> linked.get() >= 1
                    && status("hz").workers().stream().anyMatch(w -> w.id().equals(id)));
            TaskFunction<Integer, Integer> plus = x -> x + 1;
            AppFuture<Integer> victim = hz.submit(plus, 1);
            await().atMost(THRESHOLD.multipliedBy(2).plusSeconds(20)).until(victim::isDone);
            assertThatThrownBy(victim::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(WorkerLost.class).hasMessageContaining("never acknowledged");
            assertThat(recorder.failures.get(victim.taskId())).hasSize(2)
                    .allSatisfy(t -> assertThat(t).isInstanceOf(WorkerLost.class).hasMessageContaining("never acknowledged"));
            assertThat(got).as("tries the fake worker was sent").extracting(t -> t.taskId() + "/" + t.tryNumber())
                    .containsExactly(victim.taskId() + "/0", victim.taskId() + "/1");
            assertThat(linked.get()).isGreaterThanOrEqualTo(2);
        } finally {
            stop.set(true);
            LinkPeer p = current.get();
            if (p != null) {
                p.close();
            }
            relinker.join(10_000);
            LinkPeer last = current.get();
            if (last != null) {
                last.close();
            }
        }
        assertThat(relinker.isAlive()).isFalse();
        assertThat(errors).isEmpty();
        releaseAll(blockers);
    }

    @Test
    void triesWaitingInABacklogWhileEveryWorkerIsBusyAreNeverFailed() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        TaskFunction<Integer, Integer> plus = x -> x + 5;
        List<AppFuture<Integer>> backlog = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backlog.add(hz.submit(plus, i));
        }
        await().during(THRESHOLD.multipliedBy(2).plusSeconds(1)).atMost(THRESHOLD.multipliedBy(3).plusSeconds(5))
                .until(() -> backlog.stream().noneMatch(f -> f.isDone() || recorder.failures.containsKey(f.taskId())));
        releaseAll(blockers);
        for (int i = 0; i < backlog.size(); i++) {
            assertThat(backlog.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i + 5);
        }
        assertThat(backlog).allMatch(f -> !recorder.failures.containsKey(f.taskId()));
    }

    // --- 6. blackholing

    @Test
    void aLiveWorkerStaysInServiceWhileTheInsiderPublishesJunkAndReplaysOldHeartbeats() throws Exception {
        ITopic<Object> heartbeats = insider.getTopic(Channels.heartbeatTopic("hz"));
        List<Object> captured = new CopyOnWriteArrayList<>();
        UUID l = heartbeats.addMessageListener(m -> captured.add(m.getMessageObject()));
        await().atMost(Duration.ofSeconds(10)).until(() -> captured.size() >= 6);
        heartbeats.removeMessageListener(l);
        List<Object> old = List.copyOf(captured);
        long before = dfkDropped("hz");
        await().during(THRESHOLD.plusSeconds(1)).atMost(THRESHOLD.plusSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Object o : old) {
                heartbeats.publish(o);
            }
            heartbeats.publish("junk");
            heartbeats.publish(new byte[] {1, 2, 3});
            heartbeats.publish(Intruder.flipped((byte[]) old.get(0), 30));
            return status("hz").connectedWorkers() == 2 && status("hz").healthy();
        });
        assertThat(dfkDropped("hz")).isGreaterThan(before + old.size());
        assertServes(hz);
    }
    // --- 7. deserialization limits (a result from a worker that holds the secret)

    @Test
    void aResultDeclaringAHugeArrayIsRefusedWithoutOutOfMemoryAndTheTryFailsNamingTheLimit() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 1);
        AppFuture<String> target = blockers.get(0);
        byte[] stream = Intruder.hugeIntArrayStream();
        assertThat(stream).hasSize(27);
        ByteBuffer payload = ByteBuffer.allocate(1 + 4 + stream.length).put((byte) 7).putInt(stream.length).put(stream);
        ResultBatch.Writer w = new ResultBatch.Writer("hz", "with-the-secret");
        w.add(Frames.RESULT, target.taskId(), 0, payload.array());
        try (LinkPeer peer = LinkPeer.link(links("hz"), frames, "hz", dfk.runId(), "with-the-secret", 1)) {
            peer.write(frames.seal(Frames.RESULTS, Channels.resultQueue(dfk.runId()), w.finish()));
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.failures.containsKey(target.taskId()));
        }
        assertThat(recorder.failures.get(target.taskId())).singleElement().satisfies(t -> assertThat(t.getMessage())
                .contains("refused").contains("an array of 400000000 elements in a payload of 27 bytes"));
        releaseAll(blockers); // the retry ran to its end
    }

    // --- 10. secret file

    @Test
    void theGeneratedSecretFileOfAnExternalProviderIsOwnerOnly(@TempDir Path runDir) throws Exception {
        Config config = Config.builder().executor(ItSupport.executor("ext").provider(new ExternalProvider()).build())
                .strategy("none").runDir(runDir).build();
        try (DataFlowKernel ext = Parsl.load(config)) {
            Path file;
            try (Stream<Path> found = Files.walk(runDir)) {
                file = found.filter(p -> p.getFileName().toString().equals("ext.secret")).findFirst().orElseThrow();
            }
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
            assertThat(Files.readString(file)).hasSizeGreaterThanOrEqualTo(32);
            String derived = Channels.clusterName(ItSupport.CLUSTER_BASE, Files.readString(file));
            HazelcastInstance withTheFile = Intruder.connect(derived, (String) ext.executorStatuses().get(0).settings().get("member"), 10_000);
            withTheFile.shutdown();
        }
    }
}
