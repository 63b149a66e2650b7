package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;

/**
 * The attacks of issue 10, each made by {@link Intruder}, a plain Hazelcast client on loopback that
 * knows the member's port and the configured cluster name but not the secret. That client cannot
 * connect at all (the first test), so every other attack is made as an "insider" who knows the real
 * (derived) cluster name but still not the secret, to show the defences behind the cluster name hold
 * too. Executor {@code hz} has a worker JVM and a worker in this JVM (one slot each, no prefetch);
 * executor {@code solo} has one worker in this JVM (deterministic replays). Every test ends by showing
 * that tasks still complete with their right values.
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
        String runId = dfk.runId();
        IQueue<Object> tasks = insider.getQueue(Channels.taskQueue("hz"));
        IQueue<Object> results = insider.getQueue(Channels.resultQueue(runId));
        for (int i = 0; i < 3; i++) {
            tasks.offer(gadget);
            results.offer(gadget);
            insider.getTopic(Channels.heartbeatTopic("hz")).publish(gadget);
            insider.getTopic(Channels.controlTopic("hz")).publish(gadget);
        }
        assertThatThrownBy(() -> insider.getExecutorService("parsl-attack").submit((java.util.concurrent.Callable<String>) gadget)
                .get(30, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(() -> insider.getExecutorService("parsl-attack").submitToAllMembers((java.util.concurrent.Callable<String>) gadget)
                .values().iterator().next().get(30, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(() -> insider.getMap("parsl-attack").executeOnKey("k", gadget)).isNotNull();
        // the workers and the result reader took the items (and refused to build them)
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.isEmpty() && results.isEmpty());
        assertServes(hz);
        assertNoMarkers();
    }

    @Test
    void aHashSetBombOfJdkClassesDoesNotHangTheResultReaderNorTheWorkers() throws Exception {
        // wrapped so that Hazelcast writes it with Java serialization (which shares the nested sets), not
        // with its own HashSet serializer (which would write all 2^100 of them, on the attacker's side)
        Set<Object> bomb = java.util.Collections.unmodifiableSet(Intruder.hashSetBomb());
        IQueue<Object> results = insider.getQueue(Channels.resultQueue(dfk.runId()));
        IQueue<Object> tasks = insider.getQueue(Channels.taskQueue("hz"));
        results.offer(bomb);
        tasks.offer(bomb);
        insider.getTopic(Channels.heartbeatTopic("hz")).publish(bomb);
        await().atMost(Duration.ofSeconds(30)).until(() -> results.isEmpty() && tasks.isEmpty());
        long start = System.nanoTime();
        assertServes(hz);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    // --- 2. plaintext

    @Test
    void theInsiderReadsNoPlaintextArgumentInTheQueueNorWorkerDetailsInHeartbeats() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        String secretArgument = "plaintext-argument-" + UUID.randomUUID();
        TaskFunction<String, String> echo = s -> "echo:" + s;
        AppFuture<String> queued = hz.submit(echo, secretArgument);
        IQueue<Object> tasks = insider.getQueue(Channels.taskQueue("hz"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !tasks.isEmpty());
        List<byte[]> seen = new ArrayList<>();
        for (Object item : tasks) {
            assertThat(item).isInstanceOf(byte[].class);
            seen.add((byte[]) item);
        }
        List<byte[]> heartbeats = new CopyOnWriteArrayList<>();
        ITopic<Object> hb = insider.getTopic(Channels.heartbeatTopic("hz"));
        java.util.UUID l = hb.addMessageListener(m -> heartbeats.add((byte[]) m.getMessageObject()));
        await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.size() >= 4);
        hb.removeMessageListener(l);
        for (String clear : List.of(secretArgument, dfk.runId(), AttackIT.class.getName(), "echo:")) {
            byte[] needle = clear.getBytes(StandardCharsets.UTF_8);
            assertThat(seen).as("task frames holding '%s'", clear).noneMatch(f -> Intruder.contains(f, needle));
        }
        for (String clear : List.of("hz-in-process", "hz-block")) {
            byte[] needle = clear.getBytes(StandardCharsets.UTF_8);
            assertThat(heartbeats).as("heartbeat frames holding '%s'", clear).noneMatch(f -> Intruder.contains(f, needle));
        }
        releaseAll(blockers);
        assertThat(queued.get(60, TimeUnit.SECONDS)).isEqualTo("echo:" + secretArgument);
    }

    // --- 4. forged items

    @Test
    void forgedFramesOnEveryChannelChangeNothingAndAreCounted() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        AppFuture<String> target = blockers.get(0);
        String runId = dfk.runId();
        Frames otherKey = new Frames("another-secret-" + UUID.randomUUID());
        long dfkBefore = dfkDropped("hz");
        long workerBefore = hzWorker.droppedFrames();

        // results: an "error" for the running task, sealed with another key, moved, flipped, or not a frame
        String resultChannel = Channels.resultQueue(runId);
        List<Object> forgedResults = new ArrayList<>();
        for (int tryNumber = 0; tryNumber < 2; tryNumber++) {
            ResultBatch.Writer w = new ResultBatch.Writer("hz", "forger");
            w.add(Frames.ERROR, target.taskId(), tryNumber, Payloads.error(new IllegalStateException("forged failure")));
            Frames.Out plain = w.finish();
            byte[] valid = frames.seal(Frames.RESULTS, resultChannel, plain);
            forgedResults.add(otherKey.seal(Frames.RESULTS, resultChannel, plain));
            forgedResults.add(frames.seal(Frames.RESULTS, Channels.resultQueue("a-run-the-attacker-made-up"), plain));
            forgedResults.add(frames.seal(Frames.TASKS, resultChannel, plain));
            for (int at : new int[] {0, 1, 2, 13, 14, 20, valid.length - 1}) {
                forgedResults.add(Intruder.flipped(valid, at));
            }
            forgedResults.add(Arrays.copyOf(valid, valid.length - 1));
        }
        forgedResults.addAll(List.of("rejected", new byte[] {1, 2, 3}, new byte[64]));
        IQueue<Object> results = insider.getQueue(resultChannel);
        for (Object f : forgedResults) {
            results.offer(f);
        }

        // heartbeats of a worker that does not exist, and junk
        String hbChannel = Channels.heartbeatTopic("hz");
        Heartbeat ghost = new Heartbeat("ghost", "nowhere", 1, 64, 0, 0, List.of("hz"), "", 1, 1, false);
        byte[] validHb = frames.heartbeat("hz", ghost);
        List<Object> forgedHeartbeats = new ArrayList<>(List.of(otherKey.heartbeat("hz", ghost), frames.heartbeat("solo", ghost),
                Intruder.flipped(validHb, 20), Intruder.flipped(validHb, validHb.length - 1), "heartbeat", new byte[40]));
        ITopic<Object> heartbeats = insider.getTopic(hbChannel);
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

        // tasks whose body would leave a marker
        String marker = markers.resolve("forged-task-ran").toString();
        TaskCallable<String> evil = () -> {
            Files.createFile(Path.of(marker));
            return "pwned";
        };
        TaskBatch.Writer tw = new TaskBatch.Writer(runId);
        tw.add(1_000_000, 0, "evil", Invocation.of(evil, new Object[0]), new TaskBatch.SerializedFunctions());
        Frames.Out taskPlain = tw.finish();
        byte[] validTask = frames.seal(Frames.TASKS, Channels.taskQueue("hz"), taskPlain);
        List<Object> forgedTasks = List.of(otherKey.seal(Frames.TASKS, Channels.taskQueue("hz"), taskPlain),
                frames.seal(Frames.TASKS, Channels.taskQueue("solo"), taskPlain), Intruder.flipped(validTask, 40),
                Intruder.flipped(validTask, 1), "not a frame at all", new byte[] {1, 2, 3});
        IQueue<Object> tasks = insider.getQueue(Channels.taskQueue("hz"));
        releaseAllButTarget(blockers); // a free worker takes the forged tasks
        for (Object f : forgedTasks) {
            tasks.offer(f);
        }

        int expectedAtDfk = forgedResults.size() + forgedHeartbeats.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> results.isEmpty() && tasks.isEmpty()
                && dfkDropped("hz") >= dfkBefore + expectedAtDfk && hzWorker.droppedFrames() >= workerBefore + forgedCancels.size());
        assertThat(ItSupport.running(dfk, "hz").droppedFrames()).isGreaterThanOrEqualTo(dfkBefore + expectedAtDfk);
        assertThat(status("hz").connectedWorkers()).isEqualTo(2);
        assertThat(status("hz").workers()).noneMatch(w -> w.id().equals("ghost"));
        assertThat(target).isNotDone();
        assertThat(target.state()).isEqualTo(TaskState.RUNNING);
        Files.createFile(release);
        assertThat(target.get(60, TimeUnit.SECONDS)).isEqualTo("released");
        assertThat(recorder.failures.get(target.taskId())).isNull();
        assertThat(Path.of(marker)).doesNotExist();
    }

    private void releaseAllButTarget(List<AppFuture<String>> blockers) {
        // the second blocker waits on its own release file: cancel it instead (interrupts it on its worker)
        blockers.get(1).cancel(true);
    }

    // --- 5. replay

    @Test
    void aReplayedTaskFrameRunsNothingAndAReplayedResultChangesNothingAndBothAreCounted() throws Exception {
        List<AppFuture<String>> blocker = block(solo, 1);
        Path runs = dir.resolve("runs-" + UUID.randomUUID());
        String runsPath = runs.toString();
        TaskFunction<Integer, Integer> counted = x -> {
            Files.writeString(Path.of(runsPath), "ran\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return x + 1;
        };
        AppFuture<Integer> once = solo.submit(counted, 41);
        IQueue<Object> tasks = soloInsider.getQueue(Channels.taskQueue("solo"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !tasks.isEmpty());
        List<Object> captured = new ArrayList<>();
        tasks.forEach(captured::add);
        releaseAll(blocker);
        assertThat(once.get(60, TimeUnit.SECONDS)).isEqualTo(42);
        long workerBefore = soloWorker.droppedFrames();
        for (int i = 0; i < 3; i++) {
            tasks.addAll(captured);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.isEmpty() && soloWorker.droppedFrames() >= workerBefore + 3L * captured.size());
        assertServes(solo);
        assertThat(Files.readAllLines(runs)).hasSize(1);

        // a result frame seen before: the try completed once, the copy is dropped and counted
        long dfkBefore = dfkDropped("solo");
        String resultChannel = Channels.resultQueue(dfk.runId());
        ResultBatch.Writer w = new ResultBatch.Writer("solo", "solo-in-process");
        w.add(Frames.RESULT, once.taskId(), 0, Payloads.value(99));
        w.add(Frames.RESULT, once.taskId(), 1, Payloads.value(99));
        byte[] result = frames.seal(Frames.RESULTS, resultChannel, w.finish());
        IQueue<Object> results = soloInsider.getQueue(resultChannel);
        results.offer(result);
        results.offer(result);
        await().atMost(Duration.ofSeconds(30)).until(() -> results.isEmpty() && dfkDropped("solo") >= dfkBefore + 1);
        assertThat(once.get()).isEqualTo(42);
        assertThat(recorder.finals.get(once.taskId()).get()).isEqualTo(1);
    }

    // --- 3. silent loss

    @Test
    void triesTheInsiderDrainsFromTheTaskQueueFailAsNeverAcknowledgedWithinTheDeadlineAndRetriesRunThem() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        TaskFunction<Integer, Integer> plus = x -> x + 1000;
        List<AppFuture<Integer>> drained = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            drained.add(hz.submit(plus, i));
        }
        IQueue<Object> tasks = insider.getQueue(Channels.taskQueue("hz"));
        List<Object> stolen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            tasks.drainTo(stolen);
            return drained.stream().allMatch(f -> f.state() == TaskState.LAUNCHED) && !stolen.isEmpty() && tasks.isEmpty();
        });
        // let the first try of the last task be drained, then stop draining: wait for all three to be noticed
        long drainedAt = System.nanoTime();
        await().atMost(THRESHOLD.plusSeconds(10)).until(() -> drained.stream().allMatch(f -> recorder.failures.containsKey(f.taskId())));
        Duration noticed = Duration.ofNanos(System.nanoTime() - drainedAt);
        assertThat(noticed).isLessThan(THRESHOLD.plusSeconds(8));
        for (AppFuture<Integer> f : drained) {
            assertThat(recorder.failures.get(f.taskId())).singleElement()
                    .isInstanceOf(WorkerLost.class).satisfies(t -> assertThat(t.getMessage()).contains("never acknowledged"));
        }
        releaseAll(blockers);
        for (int i = 0; i < drained.size(); i++) {
            assertThat(drained.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i + 1000);
        }
    }

    @Test
    void aTaskTheInsiderKeepsDrainingFailsWithAClearErrorWhenItsRetriesAreUsedUp() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 2);
        TaskFunction<Integer, Integer> plus = x -> x + 1;
        AppFuture<Integer> victim = hz.submit(plus, 1);
        IQueue<Object> tasks = insider.getQueue(Channels.taskQueue("hz"));
        List<Object> stolen = new ArrayList<>();
        await().atMost(THRESHOLD.multipliedBy(2).plusSeconds(20)).until(() -> {
            tasks.drainTo(stolen);
            return victim.isDone();
        });
        assertThatThrownBy(victim::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(WorkerLost.class).hasMessageContaining("never acknowledged");
        assertThat(recorder.failures.get(victim.taskId())).hasSize(2);
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

    // --- 7. deserialization limits

    @Test
    void aResultDeclaringAHugeArrayIsRefusedWithoutOutOfMemoryAndTheTryFailsNamingTheLimit() throws Exception {
        List<AppFuture<String>> blockers = block(hz, 1);
        AppFuture<String> target = blockers.get(0);
        byte[] stream = Intruder.hugeIntArrayStream();
        assertThat(stream).hasSize(27);
        ByteBuffer payload = ByteBuffer.allocate(1 + 4 + stream.length).put((byte) 7).putInt(stream.length).put(stream);
        ResultBatch.Writer w = new ResultBatch.Writer("hz", "with-the-secret");
        w.add(Frames.RESULT, target.taskId(), 0, payload.array());
        insider.getQueue(Channels.resultQueue(dfk.runId())).offer(frames.seal(Frames.RESULTS, Channels.resultQueue(dfk.runId()), w.finish()));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.failures.containsKey(target.taskId()));
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
