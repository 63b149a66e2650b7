package org.parsl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.config.Config;
import org.parsl.config.RetryHandler;
import org.parsl.executors.ThreadPoolExecutor;

class DataFlowKernelTest {

    @TempDir
    Path runDir;

    private Config.Builder config(int threads) {
        return Config.builder().executor(new ThreadPoolExecutor("cpu", threads)).runDir(runDir);
    }

    private DataFlowKernel load(int threads) {
        return Parsl.load(config(threads).build());
    }

    // --- dependencies

    @Test
    void dependenciesInsideAListAreResolved() throws Exception {
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> one = App.of(dfk, () -> 1);
            App<Integer> sum = App.of(dfk, (List<Integer> xs) -> xs.stream().mapToInt(Integer::intValue).sum());
            assertThat(sum.call(List.of(one.call(), one.call(), 5)).get()).isEqualTo(7);
        }
    }

    @Test
    void dependenciesInsideAMapAreResolved() throws Exception {
        try (DataFlowKernel dfk = load(2)) {
            App<String> word = App.of(dfk, (String w) -> w.toUpperCase());
            App<String> join = App.of(dfk, (Map<String, String> m) -> m.get("a") + m.get("b"));
            assertThat(join.call(Map.of("a", word.call("x"), "b", "y")).get()).isEqualTo("Xy");
        }
    }

    @Test
    void dependenciesInsideAnArrayAreResolved() throws Exception {
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> two = App.of(dfk, () -> 2);
            App<Integer> len = App.of(dfk, (Object[] xs) -> (Integer) xs[0] + (Integer) xs[1]);
            assertThat(len.call((Object) new Object[] {two.call(), 3}).get()).isEqualTo(5);
        }
    }

    @Test
    void aTaskWaitsForItsLastDependency() throws Exception {
        CompletableFuture<Integer> a = new CompletableFuture<>();
        CompletableFuture<Integer> b = new CompletableFuture<>();
        try (DataFlowKernel dfk = load(2)) {
            AppFuture<Integer> sum = App.of(dfk, (Integer x, Integer y) -> x + y).call(a, b);
            a.complete(1);
            assertThat(sum.state()).isEqualTo(TaskState.PENDING);
            b.complete(2);
            assertThat(sum.get()).isEqualTo(3);
        }
    }

    @Test
    void dependencyErrorNamesTheFailedDependencies() {
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> fail = App.of(dfk, (Integer x) -> {
                throw new IllegalStateException("fail " + x);
            });
            App<Integer> ok = App.of(dfk, (Integer x) -> x);
            AppFuture<Integer> f1 = fail.call(1);
            AppFuture<Integer> f2 = ok.call(2);
            AppFuture<Integer> f3 = fail.call(3);
            AppFuture<Integer> dependent = App.ofVarargs(dfk, args -> args.length).call(f1, f2, f3);
            assertThatThrownBy(dependent::get).cause().isInstanceOf(DependencyError.class)
                    .satisfies(e -> assertThat(((DependencyError) e).failedTaskIds()).containsExactly(f1.taskId(), f3.taskId()))
                    .hasMessageContaining("dependencies [" + f1.taskId() + ", " + f3.taskId() + "] failed");
            assertThat(dependent.state()).isEqualTo(TaskState.DEP_FAIL);
        }
    }

    @Test
    void aFailureAtTheHeadOfALongPendingChainFailsItAllWithoutOverflowingTheStack() {
        CompletableFuture<Integer> head = new CompletableFuture<>();
        // 100,001 tasks wait on a future this thread completes only after submitting them all: above the
        // default bound of unfinished tasks (maxTasksInFlight) submit would wait for ever, so raise it
        try (DataFlowKernel dfk = Parsl.load(config(2).maxTasksInFlight(200_000).build())) {
            App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
            AppFuture<Integer> last = inc.call(head);
            for (int i = 0; i < 100_000; i++) {
                last = inc.call(last);
            }
            head.completeExceptionally(new IllegalStateException("head"));
            assertThatThrownBy(last::get).cause().isInstanceOf(DependencyError.class);
            assertThat(dfk.taskStateCount(TaskState.DEP_FAIL)).isEqualTo(100_001);
        }
    }

    // --- retries

    @Test
    void retriesRunAFailingTaskAgainAndRecordEveryTry() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (DataFlowKernel dfk = Parsl.load(config(2).retries(2).build())) {
            AppFuture<Integer> f = App.of(dfk, () -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("flaky");
                }
                return 42;
            }).call();
            assertThat(f.get()).isEqualTo(42);
            assertThat(calls.get()).isEqualTo(3);
        }
    }

    @Test
    void retriesAreCountedByTheHandlersCost() {
        AtomicInteger calls = new AtomicInteger();
        List<List<TaskTry>> seen = new ArrayList<>();
        RetryHandler handler = (failure, task) -> {
            seen.add(task.tries());
            return failure instanceof IllegalArgumentException ? 10 : 0.5;
        };
        try (DataFlowKernel dfk = Parsl.load(config(1).retries(2).retryHandler(handler).build())) {
            // transient failures cost 0.5: with retries=2 the task gets 5 tries (costs 0.5..2.5)
            AppFuture<Integer> transientFailure = App.<Integer>of(dfk, () -> {
                calls.incrementAndGet();
                throw new IllegalStateException("transient");
            }).call();
            assertThatThrownBy(transientFailure::get).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(calls.get()).isEqualTo(5);
            assertThat(seen.get(0)).hasSize(1);
            assertThat(seen.get(4)).hasSize(5).allSatisfy(t -> assertThat(t.failure()).hasMessage("transient"));

            // a bad-input failure costs 10: no retry at all
            calls.set(0);
            AppFuture<Integer> fatal = App.<Integer>of(dfk, () -> {
                calls.incrementAndGet();
                throw new IllegalArgumentException("bad input");
            }).call();
            assertThatThrownBy(fatal::get).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(calls.get()).isEqualTo(1);
            assertThat(fatal.state()).isEqualTo(TaskState.FAILED);
        }
    }

    @Test
    void listenersSeeEveryTryAndTheFinalStateBeforeTheFutureCompletes() throws Exception {
        Queue<String> events = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();
        try (DataFlowKernel dfk = Parsl.load(config(1).retries(1).build())) {
            dfk.addListener(new TaskListener() {
                @Override
                public void stateChanged(TaskRecord task, TaskState from, TaskState to) {
                    events.add(from + ">" + to);
                }

                @Override
                public void tryEnded(TaskRecord task, TaskTry attempt) {
                    events.add("try" + attempt.number() + (attempt.failure() == null ? " ok" : " failed") + " on " + attempt.executor());
                }
            });
            AppFuture<String> f = App.of(dfk, () -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("first try fails");
                }
                return "ok";
            }).call();
            assertThat(f.get()).isEqualTo("ok");
            assertThat(f.state()).isEqualTo(TaskState.EXEC_DONE);
            assertThat(events).containsExactly("null>PENDING", "PENDING>LAUNCHED", "LAUNCHED>RUNNING",
                    "try0 failed on cpu", "RUNNING>LAUNCHED", "LAUNCHED>RUNNING", "try1 ok on cpu", "RUNNING>EXEC_DONE");
        }
    }

    // --- cancellation

    @Test
    void aCancelledPendingTaskNeverRunsAndItsDependentsFailWithDependencyError() {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        AtomicInteger ran = new AtomicInteger();
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> count = App.of(dfk, (Integer x) -> ran.incrementAndGet());
            AppFuture<Integer> pending = count.call(gate);
            AppFuture<Integer> dependent = count.call(pending);
            assertThat(pending.cancel(false)).isTrue();
            gate.complete(1);
            assertThatThrownBy(pending::get).isInstanceOf(CancellationException.class);
            assertThat(pending.state()).isEqualTo(TaskState.CANCELLED);
            assertThatThrownBy(dependent::get).cause().isInstanceOf(DependencyError.class)
                    .satisfies(e -> assertThat(((DependencyError) e).failedTaskIds()).containsExactly(pending.taskId()));
            dfk.waitForCurrentTasks();
            assertThat(ran.get()).isZero();
        }
    }

    @Test
    void aCancelledQueuedTaskNeverRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        try (DataFlowKernel dfk = load(1)) {
            AppFuture<Integer> blocker = App.of(dfk, () -> {
                started.countDown();
                release.await();
                return 1;
            }).call();
            started.await();
            AppFuture<Integer> queued = App.of(dfk, () -> {
                queuedRan.set(true);
                return 2;
            }).call();
            assertThat(queued.state()).isEqualTo(TaskState.LAUNCHED);
            assertThat(queued.cancel(false)).isTrue();
            release.countDown();
            assertThat(blocker.get()).isEqualTo(1);
            dfk.waitForCurrentTasks();
            AppFuture<Integer> after = App.of(dfk, () -> 3).call();
            assertThat(after.get()).isEqualTo(3); // the single thread ran past the cancelled task
            assertThat(queuedRan).isFalse();
            assertThat(queued.state()).isEqualTo(TaskState.CANCELLED);
        }
    }

    @Test
    void cancellingARunningTaskInterruptsIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (DataFlowKernel dfk = load(1)) {
            AppFuture<Integer> running = App.of(dfk, () -> {
                started.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                }
                return 1;
            }).call();
            started.await();
            assertThat(running.state()).isEqualTo(TaskState.RUNNING);
            assertThat(running.cancel(true)).isTrue();
            await().untilTrue(interrupted);
            assertThat(running.isCancelled()).isTrue();
            assertThat(running.cancel(true)).isTrue(); // already cancelled: still reports cancelled
            assertThat(App.of(dfk, () -> 2).call().get()).isEqualTo(2);
        }
    }

    @Test
    void aFinishedTaskCannotBeCancelled() throws Exception {
        try (DataFlowKernel dfk = load(1)) {
            AppFuture<Integer> f = App.of(dfk, () -> 1).call();
            f.get();
            assertThat(f.cancel(true)).isFalse();
            assertThat(f.state()).isEqualTo(TaskState.EXEC_DONE);
        }
    }

    @Test
    void userCodeCannotCompleteAnAppFuture() throws Exception {
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        try (DataFlowKernel dfk = load(1)) {
            AppFuture<Integer> f = App.of(dfk, (Integer x) -> x).call(gate);
            assertThatThrownBy(() -> f.complete(5)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> f.completeExceptionally(new RuntimeException())).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> f.obtrudeValue(5)).isInstanceOf(UnsupportedOperationException.class);
            CompletableFuture<Integer> copy = f.toCompletableFuture();
            assertThat(copy.complete(9)).isTrue();
            gate.complete(3);
            assertThat(f.get()).isEqualTo(3);
            assertThat(f.thenApply(x -> x * 2).get()).isEqualTo(6);
        }
    }

    // --- join apps

    @Test
    void aJoinAppThatReturnsAListOfFuturesCompletesWithTheirValues() throws Exception {
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> square = App.of(dfk, (Integer x) -> x * x);
            App<Object> fanOut = App.join(dfk, (Integer n) -> {
                List<Future<Integer>> parts = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    parts.add(square.call(i));
                }
                return parts;
            });
            AppFuture<Object> joined = fanOut.call(4);
            assertThat(joined.get()).isEqualTo(List.of(1, 4, 9, 16));
            assertThat(joined.state()).isEqualTo(TaskState.EXEC_DONE);
        }
    }

    @Test
    void aJoinAppThatReturnsOneFutureCompletesWithItsValueAndShowsJoining() throws Exception {
        CompletableFuture<Integer> inner = new CompletableFuture<>();
        try (DataFlowKernel dfk = load(2)) {
            AppFuture<Object> joined = App.join(dfk, () -> inner).call();
            await().until(() -> joined.state() == TaskState.JOINING);
            inner.complete(11);
            assertThat(joined.get()).isEqualTo(11);
        }
    }

    @Test
    void aJoinAppFailsWhenAFutureItReturnedFails() {
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> boom = App.of(dfk, () -> {
                throw new IllegalStateException("inner");
            });
            AppFuture<Object> joined = App.join(dfk, () -> List.of(boom.call())).call();
            assertThatThrownBy(joined::get).cause().isInstanceOf(DependencyError.class)
                    .hasRootCauseMessage("inner");
            assertThat(joined.state()).isEqualTo(TaskState.FAILED);
        }
    }

    // --- memoization

    @Test
    void aCachedAppRunsOncePerDistinctArgumentsAndLaterCallsAreMemoDone() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> square = App.of(dfk, (Integer x) -> {
                runs.incrementAndGet();
                return x * x;
            }).cache(true);
            assertThat(square.call(3).get()).isEqualTo(9);
            AppFuture<Integer> again = square.call(3);
            assertThat(again.get()).isEqualTo(9);
            assertThat(again.state()).isEqualTo(TaskState.MEMO_DONE);
            assertThat(square.call(4).get()).isEqualTo(16);
            assertThat(runs.get()).isEqualTo(2);
            assertThat(dfk.taskStateCount(TaskState.MEMO_DONE)).isEqualTo(1);
        }
    }

    @Test
    void withoutCacheOrWithAppCacheOffEveryCallRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        TaskFunction<Integer, Integer> f = x -> runs.incrementAndGet();
        try (DataFlowKernel dfk = load(2)) {
            App.of(dfk, f).call(1).get();
            App.of(dfk, f).call(1).get();
        }
        try (DataFlowKernel dfk = Parsl.load(config(1).appCache(false).build())) {
            App.of(dfk, f).cache(true).call(1).get();
            App.of(dfk, f).cache(true).call(1).get();
        }
        assertThat(runs.get()).isEqualTo(4);
    }

    // --- records, counts, lifecycle

    @Test
    void finishedTasksLeaveNoRecordsBehind() {
        try (DataFlowKernel dfk = load(2)) {
            App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
            List<AppFuture<Integer>> last = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                AppFuture<Integer> f = inc.call(i);
                if (i % 10_000 == 0) {
                    last.add(f);
                }
            }
            dfk.waitForCurrentTasks();
            assertThat(dfk.tasksInFlight()).isZero();
            assertThat(last).allSatisfy(f -> assertThat(f.task()).isNull());
            Map<TaskState, Long> counts = dfk.taskStateCounts();
            assertThat(counts).containsEntry(TaskState.EXEC_DONE, 100_000L).containsEntry(TaskState.PENDING, 0L)
                    .containsEntry(TaskState.RUNNING, 0L).hasSize(TaskState.values().length);
        }
    }

    @Test
    void waitForCurrentTasksReturnsOnlyWhenAllAreDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (DataFlowKernel dfk = load(4)) {
            List<AppFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(App.of(dfk, () -> {
                    release.await();
                    return 1;
                }).call());
            }
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(dfk::waitForCurrentTasks);
            assertThat(waiting).isNotDone();
            assertThat(dfk.taskStateCount(TaskState.EXEC_DONE)).isZero();
            release.countDown();
            waiting.get();
            assertThat(futures).allSatisfy(f -> assertThat(f.isDone()).isTrue());
            assertThat(dfk.taskStateCount(TaskState.EXEC_DONE)).isEqualTo(8);
        }
    }

    @Test
    void submitAfterCloseOrCleanupIsRejected() {
        DataFlowKernel dfk = load(1);
        App<Integer> one = App.of(dfk, () -> 1);
        dfk.close();
        dfk.close(); // idempotent
        assertThat(dfk.isClosed()).isTrue();
        assertThatThrownBy(one::call).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("closed");
        DataFlowKernel other = load(1);
        other.cleanup();
        other.cleanup();
        assertThatThrownBy(() -> App.of(other, () -> 1).call()).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void cleanupCancelsWhatHasNotFinished() {
        CompletableFuture<Integer> never = new CompletableFuture<>();
        DataFlowKernel dfk = load(1);
        AppFuture<Integer> pending = App.of(dfk, (Integer x) -> x).call(never);
        dfk.cleanup();
        assertThat(pending.isCancelled()).isTrue();
        assertThat(dfk.taskStateCount(TaskState.CANCELLED)).isEqualTo(1);
    }

    @Test
    void closeWaitsForRunningTasks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DataFlowKernel dfk = load(1);
        AppFuture<Integer> slow = App.of(dfk, () -> {
            release.await();
            return 5;
        }).call();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(dfk::close);
        assertThat(closing).isNotDone();
        release.countDown();
        closing.get();
        assertThat(slow.get()).isEqualTo(5);
    }

    @Test
    void aConfigCanBeLoadedManyTimesEachWithItsOwnRunDirectory() throws Exception {
        Config config = config(1).build();
        try (DataFlowKernel a = Parsl.load(config); DataFlowKernel b = Parsl.load(config)) {
            assertThat(a.runDir()).isNotEqualTo(b.runDir()).exists();
            assertThat(b.runDir()).exists();
            assertThat(a.runDir().getParent()).isEqualTo(runDir);
            assertThat(App.of(a, () -> 1).call().get() + App.of(b, () -> 2).call().get()).isEqualTo(3);
        }
    }

    @Test
    void anAppRejectsAnUnknownExecutorAndAWrongArgumentCount() {
        try (DataFlowKernel dfk = load(1)) {
            TaskFunction<Integer, Integer> f = x -> x;
            assertThatThrownBy(() -> App.of(dfk, f).onExecutors("gpu"))
                    .hasMessage("executor 'gpu' is not configured; configured executors: [cpu]");
            assertThatThrownBy(() -> App.of(dfk, f).call(1, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 argument(s), got 2");
        }
    }

    @Test
    void aTaskRunsOnOneOfTheExecutorsItAllows() throws Exception {
        Config config = Config.builder().executor(new ThreadPoolExecutor("a", 1)).executor(new ThreadPoolExecutor("b", 1))
                .executor(new ThreadPoolExecutor("c", 1)).runDir(runDir).build();
        try (DataFlowKernel dfk = Parsl.load(config)) {
            TaskCallable<String> where = () -> Thread.currentThread().getName();
            App<String> app = App.of(dfk, where).onExecutors("b", "c");
            for (int i = 0; i < 20; i++) {
                assertThat(app.call().get()).matches("parsl-[bc]-worker-1");
            }
        }
    }

    @Test
    void functionNamesComeFromTheImplementingMethod() throws Exception {
        try (DataFlowKernel dfk = load(1)) {
            AtomicInteger seen = new AtomicInteger();
            List<String> names = new ArrayList<>();
            dfk.addListener(new TaskListener() {
                @Override
                public void stateChanged(TaskRecord task, TaskState from, TaskState to) {
                    if (from == null) {
                        synchronized (names) {
                            names.add(task.functionName());
                        }
                        seen.incrementAndGet();
                    }
                }
            });
            App.of(dfk, DataFlowKernelTest::triple).call(1).get();
            assertThat(names).containsExactly("triple");
        }
    }

    static int triple(int x) {
        return 3 * x;
    }

    @Test
    void aTaskFailureReachesGetAsItsCause() {
        try (DataFlowKernel dfk = load(1)) {
            AppFuture<Integer> f = App.<Integer>of(dfk, () -> {
                throw new java.io.IOException("disk");
            }).call();
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(java.io.IOException.class).hasMessage("disk");
            assertThat(f.state()).isEqualTo(TaskState.FAILED);
        }
    }
}
