package org.parsl.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parsl.config.Config;
import org.parsl.executors.ThreadPoolExecutor;

/**
 * {@code ExecutorService}'s contract (issue 13), checked with the same assertions against a
 * {@link ParslPoolExecutor} and a plain JDK {@link java.util.concurrent.ThreadPoolExecutor}: whatever
 * the JDK pool does here, the Parsl pool must do too. Task bodies are coordinated by latches only;
 * the few waits on the clock check that a positive timeout is waited out in full (a lower bound,
 * never an upper one), and Awaitility bounds calls that must not hang.
 */
class ExecutorServiceContractTest {

    /** The two implementations under test. */
    enum Kind {
        PARSL_POOL, JDK_POOL
    }

    /** How long a positive timeout is when the test checks it is waited out. */
    private static final long SHORT_MILLIS = 30;
    private static final int REPETITIONS = 50;
    /** The same check in the repetitions, kept short so that fifty of them stay quick. */
    private static final long REPEATED_MILLIS = 2;

    @TempDir
    Path runDir;

    // --- 1. awaitTermination on a pool that is not shut down waits out its timeout

    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitTerminationOnAPoolThatIsNotShutDownWaitsOutTheTimeout(Kind kind) throws Exception {
        awaitTerminationWaitsOutTheTimeoutWhileNotShutDown(kind);
    }

    private void awaitTerminationWaitsOutTheTimeoutWhileNotShutDown(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            assertThat(f.pool.awaitTermination(0, TimeUnit.SECONDS)).isFalse();
            assertThat(f.pool.awaitTermination(-1, TimeUnit.SECONDS)).isFalse();
            assertWaitsAtLeast(SHORT_MILLIS, () -> assertThat(f.pool.awaitTermination(SHORT_MILLIS, TimeUnit.MILLISECONDS)).isFalse());

            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = f.latch();
            f.pool.submit(() -> {
                started.countDown();
                release.await();
                return null;
            });
            started.await();
            assertWaitsAtLeast(SHORT_MILLIS, () -> assertThat(f.pool.awaitTermination(SHORT_MILLIS, TimeUnit.MILLISECONDS)).isFalse());
            assertThat(f.pool.isShutdown()).isFalse();
            assertThat(f.pool.isTerminated()).isFalse();
        }
    }

    // --- 2. after shutdownNow the pool is not terminated while an interrupted body still runs

    @ParameterizedTest
    @EnumSource(Kind.class)
    void afterShutdownNowThePoolIsNotTerminatedWhileAnInterruptedBodyStillRuns(Kind kind) throws Exception {
        notTerminatedWhileAnInterruptedBodyRunsAfterShutdownNow(kind, SHORT_MILLIS);
    }

    private void notTerminatedWhileAnInterruptedBodyRunsAfterShutdownNow(Kind kind, long waitMillis) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            Body body = new Body(f);
            f.pool.submit(body::ignoreTheInterruptUntilReleased);
            body.started.await();

            f.pool.shutdownNow();
            body.interrupted.await();

            assertThat(f.pool.isShutdown()).isTrue();
            assertThat(f.pool.isTerminated()).isFalse();
            assertThat(f.pool.awaitTermination(0, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(f.pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(f.pool.isTerminated()).isFalse();

            body.release.countDown();
            assertThat(f.pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(f.pool.isTerminated()).isTrue();
            assertThat(body.returned).isTrue(); // the body's write happens-before termination is seen
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRunningTaskCancelledWithInterruptKeepsThePoolFromTerminatingUntilItsBodyReturns(Kind kind) throws Exception {
        notTerminatedWhileABodyCancelledWithInterruptRuns(kind, SHORT_MILLIS);
    }

    private void notTerminatedWhileABodyCancelledWithInterruptRuns(Kind kind, long waitMillis) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            Body body = new Body(f);
            Future<?> future = f.pool.submit(body::ignoreTheInterruptUntilReleased);
            body.started.await();

            assertThat(future.cancel(true)).isTrue();
            body.interrupted.await();
            f.pool.shutdown();

            assertThat(future.isCancelled()).isTrue();
            assertThat(f.pool.isTerminated()).isFalse();
            assertThat(f.pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)).isFalse();

            body.release.countDown();
            assertThat(f.pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(body.returned).isTrue();
        }
    }

    // --- 3. a running task cancelled with cancel(false) runs to its end; shutdown() does not interrupt it

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRunningTaskCancelledWithoutInterruptRunsToItsEndAfterShutdown(Kind kind) throws Exception {
        aBodyCancelledWithoutInterruptRunsToItsEndAfterShutdown(kind, SHORT_MILLIS);
    }

    private void aBodyCancelledWithoutInterruptRunsToItsEndAfterShutdown(Kind kind, long waitMillis) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            Body body = new Body(f);
            Future<?> future = f.pool.submit(body::runUntilReleased);
            body.started.await();

            assertThat(future.cancel(false)).isTrue();
            f.pool.shutdown();

            assertThat(future.isCancelled()).isTrue();
            assertThat(f.pool.isTerminated()).isFalse();
            assertThat(f.pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(body.interrupted.getCount()).as("interrupts of the body").isEqualTo(1);

            body.release.countDown();
            assertThat(f.pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(body.returned).isTrue();
            assertThat(body.interrupted.getCount()).as("interrupts of the body").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shutdownLetsQueuedAndRunningTasksRunToTheirEnd(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            Body first = new Body(f);
            Body second = new Body(f);
            Body third = new Body(f);
            Future<?> a = f.pool.submit(first::runUntilReleased);
            Future<?> b = f.pool.submit(second::runUntilReleased);
            first.started.await();
            second.started.await();
            Future<?> queued = f.pool.submit(third::runUntilReleased); // both threads are busy

            f.pool.shutdown();
            assertThatThrownBy(() -> f.pool.submit(() -> 1)).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
            first.release.countDown();
            second.release.countDown();
            third.release.countDown();

            assertThat(f.pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(List.of(a, b, queued)).allSatisfy(x -> assertThat(x.isDone() && !x.isCancelled()).isTrue());
            assertThat(List.of(first, second, third)).allSatisfy(x -> {
                assertThat(x.returned).isTrue();
                assertThat(x.interrupted.getCount()).isEqualTo(1);
            });
        }
    }

    // --- 4. invokeAny (and the other timed methods) with a zero or negative timeout do not wait

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAnyWithANegativeOrZeroTimeoutDoesNotWait(Kind kind) throws Exception {
        invokeAnyDoesNotWaitForANonPositiveTimeout(kind);
    }

    private void invokeAnyDoesNotWaitForANonPositiveTimeout(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            CountDownLatch release = f.latch();
            Callable<Integer> blocked = () -> {
                release.await();
                return 1;
            };
            for (long timeout : new long[] {-1, 0, Long.MIN_VALUE}) {
                CompletableFuture<Integer> call = withoutHanging(() -> f.pool.invokeAny(List.of(blocked, blocked), timeout, TimeUnit.SECONDS));
                assertThatThrownBy(call::join).hasCauseInstanceOf(TimeoutException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAnyWithAPositiveTimeoutWaitsItOutWhenNoTaskCompletes(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            CountDownLatch release = f.latch();
            Callable<Integer> blocked = () -> {
                release.await();
                return 1;
            };
            assertWaitsAtLeast(SHORT_MILLIS, () -> assertThatThrownBy(
                    () -> f.pool.invokeAny(List.of(blocked, blocked), SHORT_MILLIS, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAllWithANegativeOrZeroTimeoutDoesNotWaitAndCancelsEveryTask(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            CountDownLatch release = f.latch();
            Callable<Integer> blocked = () -> {
                release.await();
                return 1;
            };
            for (long timeout : new long[] {-1, 0, Long.MIN_VALUE}) {
                CompletableFuture<List<Future<Integer>>> call = withoutHanging(
                        () -> f.pool.invokeAll(List.of(blocked, blocked, blocked), timeout, TimeUnit.SECONDS));
                assertThat(call.join()).hasSize(3).allSatisfy(x -> assertThat(x.isCancelled()).isTrue());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAllWithAPositiveTimeoutWaitsItOutThenCancelsWhatIsNotDone(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            CountDownLatch release = f.latch();
            Callable<Integer> quick = () -> 7;
            Callable<Integer> blocked = () -> {
                release.await();
                return 1;
            };
            List<Future<Integer>> futures = new ArrayList<>();
            assertWaitsAtLeast(SHORT_MILLIS,
                    () -> futures.addAll(f.pool.invokeAll(List.of(quick, blocked), SHORT_MILLIS, TimeUnit.MILLISECONDS)));
            assertThat(futures.get(0).get()).isEqualTo(7);
            assertThat(futures.get(1).isCancelled()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void futureGetWithANegativeOrZeroTimeoutDoesNotWaitAndAPositiveOneIsWaitedOut(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            CountDownLatch release = f.latch();
            Future<Integer> future = f.pool.submit(() -> {
                release.await();
                return 1;
            });
            for (long timeout : new long[] {-1, 0, Long.MIN_VALUE}) {
                CompletableFuture<Integer> call = withoutHanging(() -> future.get(timeout, TimeUnit.SECONDS));
                assertThatThrownBy(call::join).hasCauseInstanceOf(TimeoutException.class);
            }
            assertWaitsAtLeast(SHORT_MILLIS, () -> assertThatThrownBy(() -> future.get(SHORT_MILLIS, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class));
            release.countDown();
            assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(future.get(-1, TimeUnit.SECONDS)).isEqualTo(1); // done: no wait needed
        }
    }

    // --- null tasks

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nullTasksAndUnitsThrowNullPointerException(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            ExecutorService pool = f.pool;
            Callable<Integer> one = () -> 1;
            List<Callable<Integer>> withNull = Arrays.asList(one, null);
            // First for invokeAny: a JDK pool may return the first task's result before it reaches the null.
            List<Callable<Integer>> nullFirst = Arrays.asList(null, one);
            List<ThrowingCallable> calls = List.of(
                    () -> pool.submit((Callable<Integer>) null),
                    () -> pool.submit((Runnable) null),
                    () -> pool.submit((Runnable) null, 1),
                    () -> pool.execute(null),
                    () -> pool.invokeAll(null),
                    () -> pool.invokeAll(withNull),
                    () -> pool.invokeAll(null, 1, TimeUnit.SECONDS),
                    () -> pool.invokeAll(withNull, 1, TimeUnit.SECONDS),
                    () -> pool.invokeAll(List.of(one), 1, null),
                    () -> pool.invokeAny(null),
                    () -> pool.invokeAny(nullFirst),
                    () -> pool.invokeAny(null, 1, TimeUnit.SECONDS),
                    () -> pool.invokeAny(nullFirst, 1, TimeUnit.SECONDS),
                    () -> pool.invokeAny(List.of(one), 1, null),
                    () -> pool.awaitTermination(1, null));
            for (int i = 0; i < calls.size(); i++) {
                assertThatThrownBy(calls.get(i)).as("call %d", i).isInstanceOf(NullPointerException.class);
            }
            assertThat(pool.submit(one).get()).isEqualTo(1); // still usable
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAnyOfNoTasksThrowsIllegalArgumentException(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            assertThatThrownBy(() -> f.pool.invokeAny(List.<Callable<Integer>>of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.pool.invokeAny(List.<Callable<Integer>>of(), 1, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAnyWhoseTasksAllFailThrowsExecutionException(Kind kind) throws Exception {
        try (Fixture f = new Fixture(kind)) {
            Callable<Integer> fail = () -> {
                throw new IllegalStateException("no");
            };
            assertThatThrownBy(() -> f.pool.invokeAny(List.of(fail, fail))).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> f.pool.invokeAny(List.of(fail, fail), 30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    // --- the cancellation and termination cases, again and again

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theCancellationAndTerminationCasesHoldFiftyTimesInARow(Kind kind) throws Exception {
        for (int i = 0; i < REPETITIONS; i++) {
            notTerminatedWhileAnInterruptedBodyRunsAfterShutdownNow(kind, REPEATED_MILLIS);
            notTerminatedWhileABodyCancelledWithInterruptRuns(kind, REPEATED_MILLIS);
            aBodyCancelledWithoutInterruptRunsToItsEndAfterShutdown(kind, REPEATED_MILLIS);
            invokeAnyDoesNotWaitForANonPositiveTimeout(kind);
        }
    }

    // --- helpers

    /** One executor under test and the latches its bodies wait on; closing opens them all and stops it. */
    private final class Fixture implements AutoCloseable {
        final ExecutorService pool;
        private final List<CountDownLatch> latches = new ArrayList<>();

        Fixture(Kind kind) {
            this.pool = switch (kind) {
                case PARSL_POOL -> new ParslPoolExecutor(
                        Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(runDir).build());
                case JDK_POOL -> new java.util.concurrent.ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>());
            };
        }

        CountDownLatch latch() {
            CountDownLatch l = new CountDownLatch(1);
            latches.add(l);
            return l;
        }

        @Override
        public void close() throws InterruptedException {
            latches.forEach(CountDownLatch::countDown);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("%s terminated", pool).isTrue();
        }
    }

    /** A task body that tells where it is; its interrupt does not end it, only its release does. */
    private static final class Body {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch release;
        /** Written by the body before it returns, read after termination: not volatile on purpose. */
        boolean returned;

        Body(Fixture f) {
            this.release = f.latch();
        }

        /** Runs until released; an interrupt is counted and then ignored. */
        Object ignoreTheInterruptUntilReleased() {
            started.countDown();
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
            returned = true;
            return null;
        }

        /** As {@link #ignoreTheInterruptUntilReleased()}: a body that was never interrupted behaves the same. */
        Object runUntilReleased() {
            return ignoreTheInterruptUntilReleased();
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs the action and checks it took at least that long: a positive timeout is waited out in full. */
    private static void assertWaitsAtLeast(long millis, Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Runs the call on a thread of its own and waits (bounded) for it to end, so a call that hangs fails the test. */
    private static <T> CompletableFuture<T> withoutHanging(Callable<T> call) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "contract-test-call");
        t.setDaemon(true); // if it hangs, closing the fixture releases it
        t.start();
        try {
            result.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("the call did not return within 30 s: it waits without a bound");
        } catch (ExecutionException expected) {
            // the caller looks at it
        }
        return result;
    }
}
