package org.parsl.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ThreadPoolExecutor;

class ParslMetricsTest {

    @TempDir
    Path runDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DataFlowKernel load(Config.Builder builder) {
        return Parsl.load(builder.runDir(runDir).build());
    }

    private Config.Builder cpu(int threads) {
        return Config.builder().executor(new ThreadPoolExecutor("cpu", threads));
    }

    private double completed(String executor, String outcome) {
        Counter c = registry.find("parsl.tasks.completed").tag("executor", executor).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private double counter(String name, String executor) {
        Counter c = registry.find(name).tag("executor", executor).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name, String executor) {
        Gauge g = executor == null ? registry.find(name).gauge() : registry.find(name).tag("executor", executor).gauge();
        assertThat(g).as(name).isNotNull();
        return g.value();
    }

    private static void quietly(AppFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // failures are what these tests count
        }
    }

    @Test
    void countsSubmittedAndCompletedTasksByExecutorAndOutcome() {
        try (DataFlowKernel dfk = load(cpu(2)); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
            App<Integer> fail = App.of(dfk, (Integer x) -> {
                throw new IllegalStateException("fail " + x);
            });
            for (int i = 0; i < 3; i++) {
                quietly(inc.call(i));
            }
            AppFuture<Integer> failed = fail.call(1);
            quietly(failed);
            quietly(fail.call(2));
            quietly(inc.call(failed)); // dep_fail: never launched, tagged with the only executor

            assertThat(completed("cpu", "success")).isEqualTo(3);
            assertThat(completed("cpu", "failed")).isEqualTo(2);
            assertThat(completed("cpu", "dep_fail")).isEqualTo(1);
            assertThat(completed("cpu", "cancelled")).isZero();
            assertThat(completed("cpu", "memo_done")).isZero();
            assertThat(counter("parsl.tasks.submitted", "cpu")).isEqualTo(6);
            assertThat(counter("parsl.tasks.retries", "cpu")).isZero();
        }
    }

    @Test
    void aMemoizedCallCountsAsMemoDone() throws Exception {
        try (DataFlowKernel dfk = load(cpu(1)); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            App<Integer> square = App.of(dfk, (Integer x) -> x * x).cache(true);
            assertThat(square.call(3).get()).isEqualTo(9);
            AppFuture<Integer> again = square.call(3);
            assertThat(again.get()).isEqualTo(9);
            assertThat(again.state()).isEqualTo(TaskState.MEMO_DONE);

            assertThat(completed("cpu", "success")).isEqualTo(1);
            assertThat(completed("cpu", "memo_done")).isEqualTo(1);
            assertThat(counter("parsl.tasks.submitted", "cpu")).isEqualTo(2);
        }
    }

    @Test
    void aTaskThatNeverReachedAnExecutorIsTaggedNoneWhenThereAreSeveral() {
        CompletableFuture<Integer> never = new CompletableFuture<>();
        try (DataFlowKernel dfk = load(cpu(1).executor(new ThreadPoolExecutor("io", 1)));
                ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            AppFuture<Integer> pending = App.of(dfk, (Integer x) -> x).onExecutors("io").call(never);
            assertThat(gauge("parsl.tasks.pending", null)).isEqualTo(1);
            pending.cancel(false);
            quietly(App.of(dfk, (Integer x) -> x).onExecutors("io").call(5));

            assertThat(completed(ParslMetrics.NO_EXECUTOR, "cancelled")).isEqualTo(1);
            assertThat(counter("parsl.tasks.submitted", ParslMetrics.NO_EXECUTOR)).isEqualTo(1);
            assertThat(completed("io", "success")).isEqualTo(1);
            assertThat(counter("parsl.tasks.submitted", "io")).isEqualTo(1);
            assertThat(counter("parsl.tasks.submitted", "cpu")).isZero();
            assertThat(gauge("parsl.tasks.pending", null)).isZero();
        }
    }

    @Test
    void retriesAreCountedAndEveryTryIsTimed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (DataFlowKernel dfk = load(cpu(1).retries(2)); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            AppFuture<String> f = App.of(dfk, () -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("flaky");
                }
                Thread.sleep(20); // the work being timed
                return "ok";
            }).call();
            assertThat(f.get()).isEqualTo("ok");

            assertThat(counter("parsl.tasks.retries", "cpu")).isEqualTo(2);
            assertThat(counter("parsl.tasks.submitted", "cpu")).isEqualTo(1);
            assertThat(completed("cpu", "success")).isEqualTo(1);
            Timer ok = registry.find("parsl.task.duration").tag("executor", "cpu").tag("outcome", "success").timer();
            Timer failed = registry.find("parsl.task.duration").tag("executor", "cpu").tag("outcome", "failed").timer();
            Timer wait = registry.find("parsl.task.queue.wait").tag("executor", "cpu").timer();
            assertThat(ok.count()).isEqualTo(1);
            assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20);
            assertThat(failed.count()).isEqualTo(2);
            assertThat(wait.count()).isEqualTo(3);
            assertThat(ok.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile)
                    .containsExactly(0.5, 0.95, 0.99);
            assertThat(gauge("parsl.tasks.running", "cpu")).isZero();
        }
    }

    @Test
    void gaugesShowRunningTasksAndTheExecutorsWorkers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (DataFlowKernel dfk = load(cpu(3)); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            App<Boolean> block = App.of(dfk, () -> release.await(10, TimeUnit.SECONDS));
            AppFuture<Boolean> a = block.call();
            AppFuture<Boolean> b = block.call();
            await().atMost(10, TimeUnit.SECONDS).until(() -> gauge("parsl.tasks.running", "cpu") == 2);
            assertThat(gauge("parsl.workers.connected", "cpu")).isEqualTo(3);
            assertThat(gauge("parsl.workers.slots", "cpu")).isEqualTo(3);
            assertThat(gauge("parsl.blocks.active", "cpu")).isZero();
            release.countDown();
            assertThat(a.get()).isTrue();
            assertThat(b.get()).isTrue();
            assertThat(gauge("parsl.tasks.running", "cpu")).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void countersExistAtZeroBeforeTheFirstTask() {
        try (DataFlowKernel dfk = load(cpu(1)); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            assertThat(registry.find("parsl.tasks.completed").tag("executor", "cpu").counters()).hasSize(5);
            assertThat(registry.find("parsl.tasks.submitted").tag("executor", "cpu").counter()).isNotNull();
            assertThat(registry.find("parsl.task.queue.wait").tag("executor", "cpu").timer()).isNotNull();
        }
    }

    @Test
    void closeStopsCountingAndRemovesTheMeters() {
        try (DataFlowKernel dfk = load(cpu(1))) {
            ParslMetrics metrics = new ParslMetrics(dfk);
            metrics.bindTo(registry);
            quietly(App.of(dfk, () -> 1).call());
            assertThat(completed("cpu", "success")).isEqualTo(1);
            metrics.close();
            assertThat(registry.find("parsl.tasks.completed").meters()).isEmpty();
            assertThat(registry.find("parsl.tasks.running").meters()).isEmpty();
            quietly(App.of(dfk, () -> 1).call());
            assertThat(registry.find("parsl.tasks.completed").meters()).isEmpty();
            assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void countsFromSeveralThreadsAddUp() throws Exception {
        try (DataFlowKernel dfk = load(cpu(2)); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            App<Integer> inc = App.of(dfk, (Integer x) -> {
                if (x % 10 == 0) {
                    throw new IllegalArgumentException("multiple of ten: " + x);
                }
                return x + 1;
            });
            Thread[] submitters = new Thread[4];
            for (int t = 0; t < submitters.length; t++) {
                submitters[t] = new Thread(() -> {
                    for (int i = 1; i <= 500; i++) {
                        inc.call(i);
                    }
                });
                submitters[t].start();
            }
            for (Thread t : submitters) {
                t.join();
            }
            dfk.waitForCurrentTasks();
            assertThat(completed("cpu", "success")).isEqualTo(4 * 450);
            assertThat(completed("cpu", "failed")).isEqualTo(4 * 50);
            assertThat(counter("parsl.tasks.submitted", "cpu")).isEqualTo(2000);
            assertThat(gauge("parsl.tasks.running", "cpu")).isZero();
            assertThat(dfk.taskStateCount(TaskState.EXEC_DONE)).isEqualTo(1800);
        }
    }
}
