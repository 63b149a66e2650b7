package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;
import org.parsl.providers.Block;
import org.parsl.providers.BlockRequest;
import org.parsl.providers.ExecutionProvider;
import org.parsl.providers.WorkerCommand;

/** The provider SPI seen from the executor's side, with a fake launcher that records what it is asked to start. */
class ScalerTest {

    /**
     * Starts nothing; remembers every request. Its blocks are dead from the start while {@code crash}
     * is set (a worker command that cannot start).
     */
    static final class RecordingProvider implements ExecutionProvider {
        final List<BlockRequest> requests = new CopyOnWriteArrayList<>();
        final List<FakeBlock> blocks = new CopyOnWriteArrayList<>();
        final int init;
        final int max;
        volatile boolean crash;

        RecordingProvider(int init, int max) {
            this(init, max, false);
        }

        RecordingProvider(int init, int max, boolean crash) {
            this.init = init;
            this.max = max;
            this.crash = crash;
        }

        @Override
        public int initBlocks() {
            return init;
        }

        @Override
        public int minBlocks() {
            return 0;
        }

        @Override
        public int maxBlocks() {
            return max;
        }

        @Override
        public double parallelism() {
            return 1.0;
        }

        @Override
        public boolean launchesWorkers() {
            return true;
        }

        @Override
        public Block startBlock(BlockRequest request) {
            requests.add(request);
            FakeBlock b = new FakeBlock(request.blockId());
            if (crash) {
                b.alive.set(false);
            }
            blocks.add(b);
            return b;
        }
    }

    static final class FakeBlock implements Block {
        final String id;
        final AtomicBoolean alive = new AtomicBoolean(true);

        FakeBlock(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<Long> pids() {
            return List.of();
        }

        @Override
        public boolean isAlive() {
            return alive.get();
        }

        @Override
        public void stop() {
            alive.set(false);
        }
    }

    private static Config config(String strategy) {
        return Config.builder().executor(new ThreadPoolExecutor("x", 1)).strategy(strategy).build();
    }

    private static BlockRequest request(String id) {
        WorkerSettings s = WorkerSettings.builder().labels(List.of("gpu")).secret("a-long-secret").workerId(id).slots(2).build();
        return new BlockRequest(id, new WorkerCommand(HazelcastWorker.jvmOptions(), "cp", HazelcastWorker.class.getName(), List.of()),
                s.toEnvironment(), Path.of("runinfo", id + ".log"));
    }

    @Test
    void theExecutorHandsTheProviderTheCommandEnvironmentAndLogOfEachBlock() {
        RecordingProvider provider = new RecordingProvider(2, 2);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            Scaler scaler = new Scaler("gpu", provider, config("none"), 2, () -> 0, ScalerTest::request);
            scaler.start(scheduler);
            assertThat(provider.requests).hasSize(2);
            BlockRequest first = provider.requests.get(0);
            assertThat(first.command().mainClass()).isEqualTo(HazelcastWorker.class.getName());
            assertThat(first.command().jvmOptions()).contains("-XX:+ExitOnOutOfMemoryError");
            assertThat(first.command().arguments()).noneMatch(a -> a.contains("a-long-secret"));
            WorkerSettings back = WorkerSettings.fromEnvironment(first.environment());
            assertThat(back.workerId()).contains(first.blockId());
            assertThat(back.labels()).containsExactly("gpu");
            assertThat(first.logFile().getFileName().toString()).isEqualTo(first.blockId() + ".log");
            assertThat(provider.requests.get(1).blockId()).isNotEqualTo(first.blockId());
            assertThat(scaler.activeBlocks()).isEqualTo(2);
            scaler.stopAll();
            assertThat(provider.blocks).noneMatch(FakeBlock::isAlive);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theSimpleStrategyScalesOutWhileTasksWaitUpToMaxBlocks() {
        RecordingProvider provider = new RecordingProvider(0, 3);
        AtomicInteger outstanding = new AtomicInteger(5);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            Scaler scaler = new Scaler("gpu", provider, config("simple"), 2, outstanding::get, ScalerTest::request);
            scaler.start(scheduler);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> provider.requests.size() == 3);
            assertThat(scaler.activeBlocks()).isEqualTo(3);
            scaler.stopAll();
        } finally {
            scheduler.shutdownNow();
        }
        assertThat(Map.of("blocks", provider.blocks.size())).containsEntry("blocks", 3);
    }
}
