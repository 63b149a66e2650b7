package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;
import org.parsl.providers.Block;
import org.parsl.providers.BlockRequest;
import org.parsl.providers.WorkerCommand;

/** Blocks that end by themselves: replaced, with a back-off after failures at start, and a problem after five in a row. */
class ScalerBackoffTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private Config config(String strategy) {
        // the strategy never runs by itself: the test calls tick() with its own clock
        return Config.builder().executor(new ThreadPoolExecutor("x", 1)).strategy(strategy).strategyPeriod(Duration.ofHours(1)).build();
    }

    private BlockRequest request(String id) {
        Path log = dir.resolve(id + ".log");
        try {
            Files.writeString(log, "\nstarting worker " + id + "\nError: Could not find or load main class org.example.Missing\n"
                    + "Caused by: java.lang.ClassNotFoundException: org.example.Missing\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        WorkerSettings s = WorkerSettings.builder().labels(List.of("gpu")).secret("a-long-secret").workerId(id).slots(2).build();
        return new BlockRequest(id, new WorkerCommand(HazelcastWorker.jvmOptions(), "cp", HazelcastWorker.class.getName(), List.of()),
                s.toEnvironment(), log);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aBlockThatEndsAtStartIsRelaunchedAfterABackOffThatDoublesAndAfterFiveInARowTheScalerGivesUpWithTheLogLines() {
        ScalerTest.RecordingProvider provider = new ScalerTest.RecordingProvider(1, 1, true);
        Scaler scaler = new Scaler("gpu", provider, config("none"), 2, () -> 0, this::request, now::get);
        scaler.start(scheduler);
        assertThat(provider.requests).hasSize(1);
        long[] backoffs = {1, 2, 4, 8};
        for (int failure = 1; failure <= 4; failure++) {
            scaler.tick(); // sees the block dead: a failure at start, then backs off
            assertThat(provider.requests).hasSize(failure);
            assertThat(scaler.problem()).isNull();
            advance(Duration.ofSeconds(backoffs[failure - 1]).minusMillis(1));
            scaler.tick();
            assertThat(provider.requests).as("still backing off after failure %d", failure).hasSize(failure);
            advance(Duration.ofMillis(1));
            scaler.tick();
            assertThat(provider.requests).as("relaunched after the back-off of failure %d", failure).hasSize(failure + 1);
        }
        scaler.tick(); // the fifth failure in a row
        assertThat(scaler.problem())
                .startsWith("blocks keep failing at start: 5 in a row")
                .contains("Error: Could not find or load main class org.example.Missing")
                .contains("ClassNotFoundException")
                .doesNotContain("starting worker");
        advance(Duration.ofHours(1));
        scaler.tick();
        assertThat(provider.requests).hasSize(5);
        scaler.stopAll();
    }

    @Test
    void aBlockThatLivesPastTheStartWindowResetsTheFailuresAndTheProblem() {
        ScalerTest.RecordingProvider provider = new ScalerTest.RecordingProvider(1, 1, true);
        Scaler scaler = new Scaler("gpu", provider, config("none"), 2, () -> 0, this::request, now::get);
        scaler.start(scheduler);
        scaler.tick();
        advance(Duration.ofSeconds(1));
        provider.crash = false;
        scaler.tick();
        assertThat(provider.requests).hasSize(2);
        assertThat(scaler.activeBlocks()).isEqualTo(1);
        advance(Duration.ofNanos(Scaler.FAST_FAILURE_NANOS));
        scaler.tick();
        // the healthy block is killed much later: replaced at once, not backed off
        provider.blocks.get(1).alive.set(false);
        advance(Duration.ofMinutes(5));
        scaler.tick();
        assertThat(provider.requests).hasSize(3);
        assertThat(scaler.problem()).isNull();
        scaler.stopAll();
    }

    @Test
    void whileTheKernelClosesTheScalerNoLongerScalesOut() {
        ScalerTest.RecordingProvider provider = new ScalerTest.RecordingProvider(1, 4, false);
        AtomicInteger outstanding = new AtomicInteger(8);
        Scaler scaler = new Scaler("gpu", provider, config("simple"), 2, outstanding::get, this::request, now::get);
        scaler.start(scheduler);
        scaler.drain();
        scaler.tick();
        assertThat(provider.requests).hasSize(1);
        // but a close must not wait for ever: the last block, if it dies, is replaced while tries wait
        provider.blocks.get(0).alive.set(false);
        advance(Duration.ofMinutes(1));
        scaler.tick();
        assertThat(provider.requests).hasSize(2);
        scaler.stopAll();
    }

    @Test
    void withoutDrainingTheSameLoadScalesOutToMaxBlocks() {
        ScalerTest.RecordingProvider provider = new ScalerTest.RecordingProvider(1, 4, false);
        Scaler scaler = new Scaler("gpu", provider, config("simple"), 2, () -> 8, this::request, now::get);
        scaler.start(scheduler);
        scaler.tick();
        assertThat(provider.requests).hasSize(4);
        scaler.stopAll();
        assertThat(provider.blocks).noneMatch(ScalerTest.FakeBlock::isAlive);
    }
}
