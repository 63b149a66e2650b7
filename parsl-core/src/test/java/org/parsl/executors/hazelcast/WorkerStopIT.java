package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parsl.Parsl;
import org.parsl.app.TaskCallable;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.providers.ExternalProvider;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A worker that stops while its taker waits in a poll (the usual idle state) stops cleanly: the poll
 * is ended by the client's shutdown, not by interrupting the thread inside a Hazelcast call, which
 * made Hazelcast log "Future.complete(Object) on completed future" with a stack trace at every stop.
 */
class WorkerStopIT {

    private DataFlowKernel dfk;
    private ParslPoolExecutor pool;
    private HazelcastWorker worker;
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() throws Exception {
        Config config = Config.builder()
                .executor(ItSupport.executor("stop").maxWorkersPerNode(1).provider(new ExternalProvider()).build())
                .strategy("none").runDir(Files.createTempDirectory("parsl-worker-stop-it")).build();
        dfk = Parsl.load(config);
        pool = new ParslPoolExecutor(dfk, List.of("stop"));
        WorkerSettings s = ItSupport.running(dfk, "stop").workerSettings().toBuilder().workerId("stop-in-process").parentPid(0).build();
        worker = HazelcastWorker.builder(s).build();
        worker.start();
        warnings.start();
        root.addAppender(warnings);
    }

    @AfterEach
    void stop() {
        root.detachAppender(warnings);
        if (worker != null) {
            worker.close();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        if (dfk != null) {
            dfk.cleanup();
        }
    }

    @Test
    void anIdleWorkerStopsWithoutHazelcastWarningsAndItsSlotThreadsEnd() throws Exception {
        TaskCallable<Integer> one = () -> 1;
        assertThat(pool.submit(one).get()).isEqualTo(1);
        // idle again: its one slot waits for the next task its link brings
        await().atMost(Duration.ofSeconds(30)).until(() -> slotThreads().stream().anyMatch(WorkerStopIT::waitsForWork));

        worker.close();

        assertThat(slotThreads()).as("slot threads left after close()").isEmpty();
        assertThat(warnings.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("on completed future"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ItSupport.running(dfk, "stop").status().connectedWorkers() == 0);
    }

    @Test
    void aWorkerConnectedAheadServesOnlyOnceStartedAndOneNeverStartedLeavesNoTrace() throws Exception {
        worker.close();
        WorkerSettings s = ItSupport.running(dfk, "stop").workerSettings().toBuilder().workerId("stop-ahead").parentPid(0).build();
        HazelcastWorker ahead = HazelcastWorker.builder(s).build();
        try {
            ahead.connect();
            assertThat(slotThreads()).as("slot threads before start()").isEmpty();
            ahead.start();
            TaskCallable<String> where = () -> WorkerContext.current().orElseThrow().workerId();
            assertThat(pool.submit(where).get()).isEqualTo("stop-ahead");
        } finally {
            ahead.close();
        }

        HazelcastWorker never = HazelcastWorker.builder(s.toBuilder().workerId("stop-never").build()).build();
        never.connect();
        never.close();
        assertThat(slotThreads()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(Thread::isAlive).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("hz.parsl-worker-stop-never") || n.startsWith("parsl-worker-heartbeat")));
        assertThat(ItSupport.running(dfk, "stop").status().connectedWorkers()).as("workers the executor saw join and not leave").isZero();
    }

    private static List<Thread> slotThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("parsl-worker-slot-") && t.isAlive())
                .toList();
    }

    private static boolean waitsForWork(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("await"))
                && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().endsWith(".Slots") && f.getMethodName().equals("loop"));
    }
}
