package org.parsl.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.app.TaskBiFunction;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.DependencyError;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ThreadPoolExecutor;

/** The cases of Parsl's test_concurrent.py, and the rest of the pool's contract. */
class ParslPoolExecutorTest {

    @TempDir
    Path runDir;

    private static final TaskFunction<Integer, Integer> INC = x -> x + 1;

    private Config config(int threads) {
        return Config.builder().executor(new ThreadPoolExecutor("cpu", threads)).runDir(runDir).build();
    }

    private Config twoExecutors() {
        return Config.builder()
                .executor(new ThreadPoolExecutor("cpu", 2))
                .executor(new ThreadPoolExecutor("io", 2))
                .runDir(runDir).build();
    }

    // --- test_concurrent.py: init errors

    @Test
    void nullConfigIsRejectedSayingWhatToPass() {
        assertThatThrownBy(() -> new ParslPoolExecutor((Config) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config is null");
    }

    @Test
    void nullDfkIsRejectedSayingWhatToPass() {
        assertThatThrownBy(() -> new ParslPoolExecutor((DataFlowKernel) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dfk is null");
        assertThatThrownBy(() -> new ParslPoolExecutor(null, List.of("cpu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dfk is null");
    }

    @Test
    void unknownExecutorLabelIsRejectedAtConstructionWithTheKnownLabels() {
        try (DataFlowKernel dfk = Parsl.load(twoExecutors())) {
            assertThatThrownBy(() -> new ParslPoolExecutor(dfk, List.of("gpux")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("executor 'gpux' is not configured; configured executors: [cpu, io]");
        }
    }

    // --- test_concurrent.py: submit, map, map with timeout, app cache, submit after close

    @Test
    void submitReturnsTheResult() throws Exception {
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            AppFuture<Integer> future = pool.submit(INC, 1);
            assertThat(future.get()).isEqualTo(2);
            assertThat(future.state()).isEqualTo(TaskState.EXEC_DONE);
        }
    }

    @Test
    void submitOfEveryShape() throws Exception {
        TaskBiFunction<Integer, Integer, Integer> add = Integer::sum;
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            AppFuture<Integer> one = pool.submit(() -> 1);
            AppFuture<Integer> two = pool.submit(INC, one);
            assertThat(pool.submit(add, 1, 2).get()).isEqualTo(3);
            assertThat(pool.submit(add, one, 2).get()).isEqualTo(3);
            assertThat(pool.submit(add, 1, two).get()).isEqualTo(3);
            assertThat(pool.submit(add, one, two).get()).isEqualTo(3);
            Callable<String> plain = () -> "plain";
            assertThat(pool.submit(plain).get()).isEqualTo("plain");
            AtomicInteger ran = new AtomicInteger();
            assertThat(pool.submit(ran::incrementAndGet, "done").get()).isEqualTo("done");
            assertThat(pool.submit((Runnable) ran::incrementAndGet).get()).isNull();
            pool.execute(ran::incrementAndGet);
            await().untilAtomic(ran, org.hamcrest.Matchers.equalTo(3));
        }
    }

    @Test
    void mapReturnsResultsInInputOrder() {
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            assertThat(pool.map(INC, List.of(1, 2, 3)).toList()).containsExactly(2, 3, 4);
        }
    }

    @Test
    void mapKeepsInputOrderWhenTasksFinishOutOfOrder() {
        CountDownLatch laterOnesDone = new CountDownLatch(2);
        Queue<Integer> finished = new ConcurrentLinkedQueue<>();
        TaskFunction<Integer, Integer> work = x -> {
            if (x == 1) {
                laterOnesDone.await(); // the first input finishes last
            }
            finished.add(x);
            if (x != 1) {
                laterOnesDone.countDown();
            }
            return x * 10;
        };
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(3))) {
            assertThat(pool.map(work, List.of(1, 2, 3)).toList()).containsExactly(10, 20, 30);
        }
        assertThat(finished.peek()).isNotEqualTo(1);
        assertThat(List.copyOf(finished)).endsWith(1);
    }

    @Test
    void mapPastItsTimeoutThrowsCompletionExceptionCausedByTimeoutAndCancelsTheRest() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch twoRunning = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        TaskFunction<Integer, Integer> stuck = x -> {
            if (x == 0) {
                return 0;
            }
            twoRunning.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return x;
        };
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            Iterator<Integer> results = pool.map(stuck, List.of(0, 1, 2, 3), Duration.ofMillis(500)).iterator();
            assertThat(results.next()).isZero();
            twoRunning.await(); // 1 and 2 hold both threads; 3 waits in the queue (the deadline may pass meanwhile)
            assertThatThrownBy(results::next)
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
            await().untilAsserted(() -> assertThat(interrupted.get()).isEqualTo(2)); // the two running ones
            await().until(() -> pool.dfk().tasksInFlight() == 0);
            assertThat(pool.dfk().taskStateCount(TaskState.CANCELLED)).isEqualTo(3);
        }
    }

    @Test
    void mapThrowsTheTaskFailureWhenItsResultIsReached() {
        TaskFunction<Integer, Integer> failOnTwo = x -> {
            if (x == 2) {
                throw new IllegalStateException("two");
            }
            return x;
        };
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            Iterator<Integer> results = pool.map(failOnTwo, List.of(1, 2, 3)).iterator();
            assertThat(results.next()).isEqualTo(1);
            assertThatThrownBy(results::next).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("two");
            assertThat(results.next()).isEqualTo(3);
        }
    }

    @Test
    void boundedMapKeepsTasksInFlightUnderTheBound() {
        AtomicInteger maxSeen = new AtomicInteger();
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            Iterable<Integer> inputs = () -> IntStream.range(0, 10_000).iterator();
            long sum;
            try (Stream<Integer> results = pool.map(INC, inputs, 16)) {
                sum = results.mapToLong(r -> {
                    maxSeen.accumulateAndGet(pool.dfk().tasksInFlight(), Math::max);
                    return r;
                }).sum();
            }
            assertThat(sum).isEqualTo(10_000L * 10_001 / 2);
            assertThat(maxSeen.get()).isLessThanOrEqualTo(16);
        }
    }

    @Test
    void oneAppIsRegisteredPerFunction() throws Exception {
        TaskFunction<Integer, Integer> dbl = x -> x * 2;
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            pool.submit(INC, 1).get();
            pool.submit(INC, 2).get();
            pool.map(INC, List.of(1, 2)).toList();
            assertThat(pool.appCount()).isEqualTo(1);
            pool.submit(dbl, 1).get();
            assertThat(pool.appCount()).isEqualTo(2);
        }
    }

    @Test
    void submitAfterCloseIsRejected() {
        ParslPoolExecutor pool = new ParslPoolExecutor(config(2));
        pool.close();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.isTerminated()).isTrue();
        assertThatThrownBy(() -> pool.submit(INC, 1)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> pool.dfk().submit(null)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void closeWaitsForTheTasksAndCleansUpAnOwnedDfk() {
        CountDownLatch release = new CountDownLatch(1);
        ParslPoolExecutor pool = new ParslPoolExecutor(config(2));
        AppFuture<Integer> slow = pool.submit(() -> {
            release.await();
            return 7;
        });
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        assertThat(closing).isNotDone();
        release.countDown();
        closing.join();
        assertThat(slow.join()).isEqualTo(7);
        assertThat(pool.dfk().isClosed()).isTrue();
    }

    @Test
    void shutdownNowOnAnOwnedDfkCancelsNotStartedTasksFirstThenInterruptsRunningOnes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger queuedRan = new AtomicInteger();
        ParslPoolExecutor pool = new ParslPoolExecutor(config(1));
        AppFuture<Integer> blocker = pool.submit(() -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return 0;
        });
        running.await();
        AppFuture<Integer> queued1 = pool.submit(queuedRan::incrementAndGet);
        AppFuture<Integer> queued2 = pool.submit(queuedRan::incrementAndGet);
        AppFuture<Integer> pending = pool.submit(INC, queued1);

        List<Runnable> notStarted = pool.shutdownNow();

        assertThat(notStarted).hasSize(3);
        assertThat(List.of(blocker, queued1, queued2, pending)).allSatisfy(f -> assertThat(f.isCancelled()).isTrue());
        await().untilTrue(interrupted);
        assertThat(queuedRan.get()).isZero();
        assertThat(pool.isShutdown()).isTrue();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.dfk().isClosed()).isTrue();
        assertThatThrownBy(blocker::get).isInstanceOf(CancellationException.class);
    }

    @Test
    void shutdownCleansUpAnOwnedDfkOnlyAfterABodyCancelledWithoutInterruptReturns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        ParslPoolExecutor pool = new ParslPoolExecutor(config(1));
        try {
            AppFuture<Integer> task = pool.submit(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                }
                finished.set(true);
                return 1;
            });
            running.await();
            assertThat(task.cancel(false)).isTrue();

            pool.shutdown();

            assertThat(pool.awaitTermination(20, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(pool.dfk().isClosed()).as("owned DataFlowKernel cleaned up while a body runs").isFalse();
            release.countDown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.dfk().isClosed()).isTrue();
            assertThat(finished).isTrue();
            assertThat(interrupted).isFalse();
            assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void shutdownNowCleansUpAnOwnedDfkOnlyAfterTheInterruptedBodiesReturn() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ParslPoolExecutor pool = new ParslPoolExecutor(config(1));
        try {
            pool.submit(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    release.await(); // ignores the interrupt until released
                }
                return 1;
            });
            running.await();

            pool.shutdownNow();
            interrupted.await();

            assertThat(pool.isTerminated()).isFalse();
            assertThat(pool.dfk().isClosed()).isFalse();
            release.countDown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.dfk().isClosed()).isTrue();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aSubmissionRacingWithShutdownIsEitherRejectedOrDoneBeforeThePoolTerminates() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(config(2))) {
            for (int round = 0; round < 20; round++) {
                ParslPoolExecutor pool = new ParslPoolExecutor(dfk);
                Queue<Future<Integer>> accepted = new ConcurrentLinkedQueue<>();
                CountDownLatch submitting = new CountDownLatch(2);
                List<Thread> submitters = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Thread t = new Thread(() -> {
                        submitting.countDown();
                        try {
                            while (true) {
                                accepted.add(pool.submit(INC, 1));
                            }
                        } catch (RejectedExecutionException expected) {
                            // the pool is shut down
                        }
                    }, "test-submitter-" + i);
                    submitters.add(t);
                    t.start();
                }
                submitting.await();
                pool.shutdown();
                for (Thread t : submitters) {
                    t.join();
                }
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                assertThat(accepted).allSatisfy(f -> assertThat(f.isDone()).isTrue());
            }
        }
    }

    @Test
    void mapWithAZeroOrNegativeTimeoutDoesNotWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TaskFunction<Integer, Integer> blocked = x -> {
            release.await();
            return x;
        };
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
                Iterator<Integer> results = pool.map(blocked, List.of(1, 2), timeout).iterator();
                assertThatThrownBy(results::next).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
            }
            assertThat(pool.map(INC, List.of(), Duration.ZERO).toList()).isEmpty();
        } finally {
            release.countDown();
        }
    }

    @Test
    void mapWithAPositiveTimeoutWaitsItOutWhenNoResultComes() {
        CountDownLatch release = new CountDownLatch(1);
        TaskFunction<Integer, Integer> blocked = x -> {
            release.await();
            return x;
        };
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(1))) {
            long start = System.nanoTime();
            Iterator<Integer> results = pool.map(blocked, List.of(1), Duration.ofMillis(30)).iterator();
            assertThatThrownBy(results::next).hasCauseInstanceOf(TimeoutException.class);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        } finally {
            release.countDown();
        }
    }

    @Test
    void borrowedDfkWithAnExecutorsListRunsOnlyThereAndIsNotStopped() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(twoExecutors())) {
            TaskCallable<String> where = () -> Thread.currentThread().getName();
            try (ParslPoolExecutor io = new ParslPoolExecutor(dfk, List.of("io"))) {
                List<AppFuture<String>> futures = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    futures.add(io.submit(where));
                }
                for (AppFuture<String> f : futures) {
                    assertThat(f.get()).startsWith("parsl-io-worker-");
                }
            }
            assertThat(dfk.isClosed()).isFalse();
            try (ParslPoolExecutor all = new ParslPoolExecutor(dfk)) {
                assertThat(all.submit(INC, 41).get()).isEqualTo(42);
            }
        }
    }

    @Test
    void shutdownNowOfABorrowedPoolLeavesTheDfkRunning() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(config(2))) {
            ParslPoolExecutor pool = new ParslPoolExecutor(dfk);
            pool.shutdownNow();
            assertThat(pool.isTerminated()).isTrue();
            assertThat(dfk.isClosed()).isFalse();
            try (ParslPoolExecutor other = new ParslPoolExecutor(dfk)) {
                assertThat(other.submit(INC, 1).get()).isEqualTo(2);
            }
        }
    }

    // --- test_concurrent.py: chaining

    @Test
    void aPoolFutureChainsIntoAnAppCall() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(config(2));
             ParslPoolExecutor pool = new ParslPoolExecutor(dfk)) {
            App<String> parity = App.of(dfk, (Integer x) -> x % 2 == 1 ? "odd" : "even");
            AppFuture<Integer> one = pool.submit(INC, 1);
            assertThat(parity.call(one).get()).isEqualTo("even");
        }
    }

    @Test
    void aPoolFutureChainsIntoAnotherPoolSubmit() throws Exception {
        try (DataFlowKernel dfk = Parsl.load(twoExecutors());
             ParslPoolExecutor cpu = new ParslPoolExecutor(dfk, List.of("cpu"));
             ParslPoolExecutor io = new ParslPoolExecutor(dfk, List.of("io"))) {
            AppFuture<Integer> one = cpu.submit(INC, 1);
            AppFuture<Integer> two = io.submit(INC, one);
            assertThat(two.get()).isEqualTo(3);
        }
    }

    @Test
    void aFailedDependencyFailsTheDependentWithDependencyError() {
        TaskFunction<Integer, Integer> boom = x -> {
            throw new IllegalArgumentException("bad " + x);
        };
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            AppFuture<Integer> failed = pool.submit(boom, 1);
            AppFuture<Integer> dependent = pool.submit(INC, failed);
            assertThatThrownBy(dependent::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DependencyError.class)
                    .satisfies(e -> assertThat(((DependencyError) e).failedTaskIds()).containsExactly(failed.taskId()))
                    .cause().isInstanceOf(IllegalArgumentException.class);
            assertThat(dependent.state()).isEqualTo(TaskState.DEP_FAIL);
        }
    }

    @Test
    void aPlainFutureIsADependencyToo() throws Exception {
        CompletableFuture<Integer> later = new CompletableFuture<>();
        java.util.concurrent.FutureTask<Integer> task = new java.util.concurrent.FutureTask<>(() -> 5);
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            AppFuture<Integer> a = pool.submit(INC, later);
            AppFuture<Integer> b = pool.submit(INC, (Future<Integer>) task);
            assertThat(a.state()).isEqualTo(TaskState.PENDING);
            later.complete(1);
            new Thread(task).start();
            assertThat(a.get()).isEqualTo(2);
            assertThat(b.get()).isEqualTo(6);
        }
    }

    @Test
    void invokeAllAndInvokeAny() throws Exception {
        try (ParslPoolExecutor pool = new ParslPoolExecutor(config(2))) {
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
            List<Future<Integer>> all = pool.invokeAll(tasks);
            assertThat(all).allSatisfy(f -> assertThat(f.isDone()).isTrue());
            assertThat(all.get(2).get()).isEqualTo(3);
            assertThat(pool.invokeAny(tasks)).isIn(1, 2, 3);
            Callable<Integer> fail = () -> {
                throw new IllegalStateException("no");
            };
            assertThatThrownBy(() -> pool.invokeAny(List.of(fail))).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
        }
    }
}
