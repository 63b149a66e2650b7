package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parsl.app.TaskCallable;
import org.parsl.executors.ExecutorTask;

/** The registry's decisions, fed heartbeats directly: replays, returns, health. */
class WorkerRegistryTest {

    private static final long THRESHOLD = 300;
    private static final long PERIOD = 100;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final Frames frames = new Frames("registry-test-secret");
    private final InFlight inFlight = new InFlight((t, i) -> { });
    private final WorkerRegistry registry = new WorkerRegistry("hz", frames, inFlight, THRESHOLD, PERIOD, scheduler, Set::of);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static Heartbeat beat(String id, long incarnation, long sequence, int busy) {
        return new Heartbeat(id, "host", 1, 1, 0, busy, List.of("hz"), "uuid-" + id, incarnation, sequence, false);
    }

    /** A try whose failure is recorded. */
    private static final class FakeTask implements ExecutorTask {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final long id;

        FakeTask(long id) {
            this.id = id;
        }

        @Override
        public long taskId() {
            return id;
        }

        @Override
        public int tryNumber() {
            return 0;
        }

        @Override
        public String functionName() {
            return "f";
        }

        @Override
        public TaskCallable<?> body() {
            return () -> null;
        }

        @Override
        public boolean markRunning(String worker) {
            return true;
        }

        @Override
        public void succeeded(Object result) {
        }

        @Override
        public void failed(Throwable t) {
            failure.set(t);
        }

        @Override
        public void bodyEnded() {
        }
    }

    @Test
    void anOlderOrEqualHeartbeatIsAReplayDroppedAndCounted() {
        registry.heartbeat(beat("w", 7, 5, 0));
        long before = frames.dropped();
        registry.heartbeat(beat("w", 7, 5, 0));
        registry.heartbeat(beat("w", 7, 3, 0));
        assertThat(frames.dropped()).isEqualTo(before + 2);
        assertThat(registry.connected()).singleElement().satisfies(v -> assertThat(v.heartbeat().sequence()).isEqualTo(5));
    }

    @Test
    void aLostWorkerThatHeartbeatsAgainIsTakenBackButAReplayOfItsOldHeartbeatDoesNotBringItBack() {
        registry.heartbeat(beat("w", 7, 5, 0));
        registry.workerLost("w", "test");
        assertThat(registry.connected()).isEmpty();
        registry.heartbeat(beat("w", 7, 4, 0)); // a replay
        assertThat(registry.connected()).isEmpty();
        registry.heartbeat(beat("w", 7, 6, 0)); // it came back
        assertThat(registry.connected()).singleElement().satisfies(v -> assertThat(v.heartbeat().workerId()).isEqualTo("w"));
        assertThat(registry.isLost("w")).isFalse();
    }

    @Test
    void aLostWorkerThatAcknowledgesALiveTryIsTakenBackAndWatchedAgain() {
        registry.heartbeat(beat("w", 7, 5, 0));
        registry.workerLost("w", "test");
        assertThat(registry.isLost("w")).isFalse();
        assertThat(registry.connected()).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.connected().isEmpty()); // silent: lost again
    }

    @Test
    void aWorkerThatSaidItStopsIsNotTakenBackByALateAcknowledgement() {
        registry.heartbeat(beat("w", 7, 5, 0));
        registry.heartbeat(new Heartbeat("w", "host", 1, 1, 0, 0, List.of("hz"), "uuid-w", 7, 6, true));
        assertThat(registry.isLost("w")).isTrue();
    }

    @Test
    void healthIsDownWhenNoWorkerIsConnectedWhileTasksWaitInTheQueuePastTheDeadline() {
        InFlight waiting = new InFlight((t, i) -> { });
        WorkerRegistry r = new WorkerRegistry("hz", frames, waiting, THRESHOLD, PERIOD, scheduler, () -> Set.of(1L));
        FakeTask task = new FakeTask(1);
        Try t = waiting.add(task);
        t.dispatchedNanos = System.nanoTime();
        assertThat(r.problem()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.problem() != null);
        assertThat(r.problem()).contains("no worker is connected").contains("1 tasks");
        assertThat(task.failure.get()).isNull(); // queued with no worker to take it: it waits
    }

    @Test
    void aTryGoneFromTheQueueThatNoIdleWorkerStartedFailsAsNeverAcknowledged() {
        registry.heartbeat(beat("w", 7, 1, 0));
        FakeTask task = new FakeTask(1);
        Try t = inFlight.add(task);
        t.dispatchedNanos = System.nanoTime();
        long[] seq = {2};
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            registry.heartbeat(beat("w", 7, seq[0]++, 0)); // alive, idle, and the queue (Set::of) never holds the try
            return task.failure.get() != null;
        });
        assertThat(task.failure.get()).isInstanceOf(WorkerLost.class).hasMessageContaining("never acknowledged");
    }

    @Test
    void aTryThatMayWaitInTheprefetchOfABusyWorkerIsNotFailed() {
        Heartbeat busy = new Heartbeat("w", "host", 1, 1, 4, 1, List.of("hz"), "uuid-w", 7, 1, false);
        registry.heartbeat(busy);
        FakeTask task = new FakeTask(1);
        Try t = inFlight.add(task);
        t.dispatchedNanos = System.nanoTime();
        long[] seq = {2};
        await().during(Duration.ofMillis(4 * THRESHOLD)).atMost(Duration.ofSeconds(10)).until(() -> {
            registry.heartbeat(new Heartbeat("w", "host", 1, 1, 4, 1, List.of("hz"), "uuid-w", 7, seq[0]++, false));
            return task.failure.get() == null;
        });
    }
}
