package org.parsl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;

/** The bound on unfinished tasks: submit waits (or fails fast), threads that end or run tasks never wait. */
class BackpressureTest {

    @TempDir
    Path runDir;

    private Config config(int bound, boolean block) {
        return Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).maxTasksInFlight(bound).blockWhenFull(block)
                .runDir(runDir).build();
    }

    @Test
    void theDefaultBoundIsTenThousandAndSubmitWaits() {
        Config c = Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).build();
        assertThat(c.maxTasksInFlight()).isEqualTo(10_000);
        assertThat(c.blockWhenFull()).isTrue();
        assertThatThrownBy(() -> Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).maxTasksInFlight(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTasksInFlight is 0");
    }

    @Test
    void submitWaitsAtTheBoundAndGoesOnWhenATaskFinishes() throws Exception {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        try (DataFlowKernel dfk = Parsl.load(config(2, true))) {
            App<Integer> wait = App.of(dfk, (Integer x) -> x);
            AppFuture<Integer> a = wait.call(gate);
            AppFuture<Integer> b = wait.call(gate);
            AtomicReference<AppFuture<Integer>> third = new AtomicReference<>();
            Thread submitter = new Thread(() -> third.set(App.of(dfk, () -> 3).call()));
            submitter.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> dfk.submittersWaiting() == 1);
            assertThat(third.get()).isNull();
            assertThat(dfk.tasksInFlight()).isEqualTo(2);
            gate.complete(1);
            submitter.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(third.get().get(30, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(a.get()).isEqualTo(1);
            assertThat(b.get()).isEqualTo(1);
        }
    }

    @Test
    void withBlockWhenFullOffSubmitFailsFastNamingTheBoundAndTheSetting() {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        try (DataFlowKernel dfk = Parsl.load(config(1, false))) {
            App.of(dfk, (Integer x) -> x).call(gate);
            assertThatThrownBy(() -> App.of(dfk, () -> 2).call())
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("holds 1 unfinished tasks")
                    .hasMessageContaining("maxTasksInFlight = 1")
                    .hasMessageContaining("blockWhenFull");
            gate.complete(1);
        }
    }

    @Test
    void aSubmitWaitingForRoomIsRejectedWhenTheKernelIsCleanedUp() throws Exception {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        DataFlowKernel dfk = Parsl.load(config(1, true));
        try {
            App.of(dfk, (Integer x) -> x).call(gate);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread submitter = new Thread(() -> {
                try {
                    App.of(dfk, () -> 2).call();
                } catch (Throwable t) {
                    thrown.set(t);
                } finally {
                    done.countDown();
                }
            });
            submitter.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> dfk.submittersWaiting() == 1);
            dfk.cleanup();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("is closed");
        } finally {
            dfk.cleanup();
        }
    }

    @Test
    void anInterruptedWaitingSubmitIsRejectedAndKeepsItsInterrupt() throws Exception {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        try (DataFlowKernel dfk = Parsl.load(config(1, true))) {
            App.of(dfk, (Integer x) -> x).call(gate);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    App.of(dfk, () -> 2).call();
                } catch (Throwable t) {
                    thrown.set(t);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            submitter.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> dfk.submittersWaiting() == 1);
            submitter.interrupt();
            submitter.join(30_000);
            assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("interrupted");
            assertThat(flag.get()).isTrue();
            gate.complete(1);
        }
    }

    @Test
    void callbacksAndTaskBodiesThatSubmitNeverWaitForRoom() throws Exception {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        try (DataFlowKernel dfk = Parsl.load(config(1, true))) {
            App<Integer> one = App.of(dfk, () -> 1);
            List<AppFuture<Integer>> fromCallback = new CopyOnWriteArrayList<>();
            AppFuture<Integer> first = App.of(dfk, (Integer x) -> x).call(gate);
            // the callback runs on the thread that ends `first`, while the bound is still taken by ... itself
            // being replaced: it submits two tasks at a bound of one
            CompletableFuture<Void> submitted = first.thenRun(() -> {
                fromCallback.add(one.call());
                fromCallback.add(one.call());
            });
            gate.complete(0);
            submitted.get(30, TimeUnit.SECONDS);
            for (AppFuture<Integer> f : fromCallback) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
            // a local body that submits (and waits for) another task, at a bound of one
            AppFuture<Integer> outer = App.of(dfk, () -> one.call().get() + 1).call();
            assertThat(outer.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void aPoolSubmitWaitingForRoomIsRejectedOnceThePoolIsShutDown() throws Exception {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        try (DataFlowKernel dfk = Parsl.load(config(1, true))) {
            ParslPoolExecutor pool = new ParslPoolExecutor(dfk);
            AppFuture<Integer> held = pool.submit((Integer x) -> x, gate);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread submitter = new Thread(() -> {
                try {
                    pool.submit(() -> 2);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            submitter.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> dfk.submittersWaiting() == 1);
            pool.shutdownNow(); // cancels the held task: room, but the pool takes no new tasks
            submitter.join(30_000);
            assertThat(thrown.get()).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("shut down");
            assertThat(held.isCancelled()).isTrue();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
