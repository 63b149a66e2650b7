package org.parsl.app;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

import java.util.concurrent.Future;

import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskSpec;

/**
 * A function bound to a DataFlowKernel and the executors it may run on: Parsl's {@code @python_app}
 * (and, with {@link #join}, {@code @join_app}). Each {@link #call(Object...)} submits one task and
 * returns its future at once; arguments may be values or futures (an {@link AppFuture} of any app or
 * pool, or any {@link Future}), also inside collections, map values and arrays: the task runs when
 * they complete, with their values.
 *
 * <pre>{@code
 * App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
 * AppFuture<Integer> two = inc.call(inc.call(0));
 * App<String> parity = App.of(dfk, (Integer x) -> x % 2 == 0 ? "even" : "odd").onExecutors("cpu");
 * }</pre>
 *
 * Immutable and thread safe.
 *
 * @param <R> the result type
 */
public final class App<R> {

    private final DataFlowKernel dfk;
    private final Object function;
    private final int arity;
    private final String name;
    private final Set<String> executors;
    private final boolean join;
    private final boolean cache;
    private final Duration walltime;
    private final org.parsl.dataflow.TaskBinder binder;

    private App(DataFlowKernel dfk, Object function, int arity, Set<String> executors, boolean join) {
        this(dfk, function, arity, executors, join, false, null);
    }

    private App(DataFlowKernel dfk, Object function, int arity, Set<String> executors, boolean join, boolean cache, Duration walltime) {
        if (dfk == null) {
            throw new IllegalArgumentException("dfk is null: pass the DataFlowKernel from Parsl.load(config)");
        }
        this.dfk = dfk;
        this.function = Objects.requireNonNull(function, "function must not be null");
        this.arity = arity;
        this.name = FunctionNames.of(function);
        this.executors = executors;
        this.join = join;
        this.cache = cache;
        this.walltime = walltime;
        Object fn = function;
        this.binder = resolved -> new Invocation(fn, resolved);
        for (String label : executors) {
            if (!dfk.executorLabels().contains(label)) {
                throw new IllegalArgumentException(dfk.unknownExecutor(label));
            }
        }
    }

    /** An app of no arguments. */
    public static <R> App<R> of(DataFlowKernel dfk, TaskCallable<R> function) {
        return new App<>(dfk, function, 0, Set.of(), false);
    }

    /** An app of one argument. */
    public static <A, R> App<R> of(DataFlowKernel dfk, TaskFunction<A, R> function) {
        return new App<>(dfk, function, 1, Set.of(), false);
    }

    /** An app of two arguments. */
    public static <A, B, R> App<R> of(DataFlowKernel dfk, TaskBiFunction<A, B, R> function) {
        return new App<>(dfk, function, 2, Set.of(), false);
    }

    /** An app of any number of arguments (checked at run time by the function itself). */
    public static <R> App<R> ofVarargs(DataFlowKernel dfk, TaskVarargsFunction<R> function) {
        return new App<>(dfk, function, -1, Set.of(), false);
    }

    /**
     * A join app of one argument (Parsl's {@code @join_app}): the function runs in this JVM and returns
     * a {@link Future} (the task's result is its value) or a collection of futures (the result is the
     * list of their values, in order). It typically launches other apps. If a returned future fails,
     * the join task fails with a {@code DependencyError} naming it.
     */
    public static <A> App<Object> join(DataFlowKernel dfk, TaskFunction<A, ?> function) {
        return new App<>(dfk, function, 1, Set.of(), true);
    }

    /** A join app of no arguments; see {@link #join(DataFlowKernel, TaskFunction)}. */
    public static App<Object> join(DataFlowKernel dfk, TaskCallable<?> function) {
        return new App<>(dfk, function, 0, Set.of(), true);
    }

    /** This app restricted to the given executors (the DataFlowKernel picks one per task). */
    public App<R> onExecutors(String... labels) {
        return onExecutors(Set.of(labels));
    }

    /** This app restricted to the given executors; an empty collection means any executor. */
    public App<R> onExecutors(Collection<String> labels) {
        return new App<>(dfk, function, arity, Set.copyOf(labels), join, cache, walltime);
    }

    /**
     * This app with memoization on or off (Parsl's {@code cache=True}). With it on (and the config's
     * {@code appCache}), a call whose resolved arguments equal (by {@code equals}, arrays deeply) those
     * of an earlier successful call of this function completes with that result in state
     * {@code MEMO_DONE}, without running. The memo table lives as long as the DataFlowKernel.
     */
    public App<R> cache(boolean on) {
        return new App<>(dfk, function, arity, executors, join, on, walltime);
    }

    /**
     * This app with a walltime (Parsl's {@code walltime}): a try of one of its tasks that runs longer
     * than {@code walltime} — counted from the moment its executor starts it, not from the call —
     * fails with {@link org.parsl.dataflow.WalltimeExceeded} ("task 12 (f) exceeded its walltime of
     * PT1S") and is cancelled with interruption: a local thread is interrupted, a remote worker is asked
     * to interrupt it. Retries apply: with retries left, the task runs again. A body that ignores the
     * interrupt keeps its thread (or its worker slot) until it returns; its result is discarded.
     *
     * @param walltime the limit per try, positive; {@code null} for none (the default)
     * @return a new app
     * @throws IllegalArgumentException if walltime is zero or negative
     */
    public App<R> walltime(Duration walltime) {
        return new App<>(dfk, function, arity, executors, join, cache, TaskSpec.checkWalltime(walltime));
    }

    /**
     * The walltime of this app's tries.
     *
     * @return the limit, or empty for none
     */
    public java.util.Optional<Duration> walltime() {
        return java.util.Optional.ofNullable(walltime);
    }

    /** The function's name, as task records show it. */
    public String functionName() {
        return name;
    }

    /** The executors this app may run on; empty = any. */
    public Set<String> executors() {
        return executors;
    }

    /** The DataFlowKernel this app submits to. */
    public DataFlowKernel dfk() {
        return dfk;
    }

    /**
     * Submits one task of this app.
     *
     * @param args the arguments, values or futures; as many as the function takes
     * @return the task's future
     * @throws IllegalArgumentException for a wrong number of arguments, or a function a distributed
     *         executor cannot take
     * @throws java.util.concurrent.RejectedExecutionException if the DataFlowKernel is closed, or holds
     *         its bound of unfinished tasks and its config says not to wait (see
     *         {@link DataFlowKernel#submit(TaskSpec)}, which this may wait in)
     */
    public AppFuture<R> call(Object... args) {
        Object[] a = args == null ? new Object[] {null} : args;
        if (arity >= 0 && a.length != arity) {
            throw new IllegalArgumentException("app " + name + " takes " + arity + " argument(s), got " + a.length);
        }
        return dfk.submit(new TaskSpec(name, function, binder, a, executors, join, null, cache, walltime));
    }

    @Override
    public String toString() {
        return "App[" + name + (executors.isEmpty() ? "" : " on " + executors) + (join ? ", join" : "") + "]";
    }
}
