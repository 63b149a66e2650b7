package org.parsl.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.parsl.Parsl;
import org.parsl.app.FunctionNames;
import org.parsl.app.Invocation;
import org.parsl.app.TaskBiFunction;
import org.parsl.app.TaskCallable;
import org.parsl.app.TaskFunction;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskBinder;
import org.parsl.dataflow.TaskGroup;
import org.parsl.dataflow.TaskSpec;
import org.parsl.executors.ThreadPoolExecutor;

/**
 * An {@link ExecutorService} over a DataFlowKernel: Parsl's {@code ParslPoolExecutor}. Code written for
 * a {@code ThreadPoolExecutor} runs unchanged, on whichever executors the pool uses, with Parsl's task
 * chaining on top: a {@link Future} passed as an argument is a dependency, and the task runs with its
 * value once it completes.
 *
 * <pre>{@code
 * try (ParslPoolExecutor pool = new ParslPoolExecutor(config)) {
 *     AppFuture<Integer> one = pool.submit(f, 1);
 *     AppFuture<Integer> two = pool.submit(f, one);     // runs when `one` completes
 *     List<Integer> all = pool.map(f, List.of(1, 2, 3)).toList();
 * }
 * }</pre>
 *
 * <p>A pool built from a {@link Config} owns its DataFlowKernel and cleans it up when it terminates; a
 * pool over a given DataFlowKernel only borrows it and never stops it. Each pool tracks its own
 * tasks: {@link #shutdownNow()}, {@link #awaitTermination} and {@link #close()} concern this pool's tasks
 * only. An inline lambda with a {@code Future} argument needs its parameter typed, e.g.
 * {@code pool.submit((Integer x) -> x + 1, future)}, so that Java picks the dependency overload.
 *
 * <p>Unlike Parsl's, this pool supports cancellation: {@code cancel} on a returned future, and
 * {@code shutdownNow()}. All methods are thread safe.
 *
 * <p>Backpressure: every {@code submit} (and {@code map}, {@code invokeAll}, ...) goes through
 * {@link DataFlowKernel#submit}, which waits for room when the DataFlowKernel holds
 * {@link Config#maxTasksInFlight()} unfinished tasks (or throws {@code RejectedExecutionException} with
 * {@link Config#blockWhenFull()} off). A submit from a callback on a task's future or from a local task
 * body never waits. A submit waiting for room is woken with {@code RejectedExecutionException} when
 * this pool is shut down (once room is free) or its DataFlowKernel is cleaned up.
 *
 * <p>Walltime: a pool built with a walltime gives it to every task (see {@link #walltime()}).
 *
 * <p>Termination follows the tasks' threads, not their futures, as for a JDK
 * {@code ThreadPoolExecutor}: a task has completed execution when it is final and the body of each
 * of its tries that started has returned. A task cancelled while it runs has a cancelled future at
 * once, but keeps the pool from terminating until its body returns. {@link #shutdown()} never
 * interrupts; {@link #shutdownNow()} does. An owned DataFlowKernel is cleaned up only after the pool's
 * tasks have completed execution, so its cleanup never interrupts a body that {@code shutdown()}
 * let run. Every timed method ({@link #awaitTermination}, the timed {@code invokeAll} and
 * {@code invokeAny}, {@link AppFuture#get(long, TimeUnit)}, {@code map} with a timeout) treats a zero
 * or negative timeout as "do not wait", and waits a positive one out in full when nothing completes.
 *
 * <p>Threads: a task's body runs on a thread of the executor the DataFlowKernel picks among this
 * pool's executors (or in a worker process, for a distributed executor), never on the submitting
 * thread. Callbacks on the returned {@link AppFuture}s, and dependent tasks' launches, run on the
 * thread that completes the future (see {@link AppFuture}). An owned DataFlowKernel is cleaned up on a
 * thread named {@code parsl-pool-cleanup} when the last task ends on an executor's thread, or on the
 * thread that shuts the pool down if its tasks have already completed.
 *
 * <p>Memory consistency effects: actions in a thread before it submits a task to the pool
 * happen-before the task's body starts (on a local executor; a distributed executor runs it on
 * serialized copies), and the actions of the body happen-before its future completes, and so before
 * a {@code get()} of it returns; the actions of every body happen-before {@link #awaitTermination}
 * returns {@code true} or {@link #isTerminated()} is seen {@code true}.
 */
public final class ParslPoolExecutor implements ExecutorService, AutoCloseable {

    private final DataFlowKernel dfk;
    private final boolean ownsDfk;
    private final Set<String> executors;
    /** Every task's walltime, or null. */
    private final Duration walltime;
    /** Wraps the bodies of tasks that run in this JVM; null: none (see {@link #ParslPoolExecutor(DataFlowKernel, Collection, Duration, UnaryOperator)}). */
    private final UnaryOperator<Runnable> localTaskDecorator;
    /** Whether every executor this pool may use runs tasks on threads of this JVM. */
    private final boolean allLocal;
    private final Map<Class<?>, Registered> apps = new ConcurrentHashMap<>();
    /**
     * The function class submitted last, in front of {@link #apps}: a loop that submits one function
     * finds it without a map lookup. Racy by design: a thread may see an older entry and look it up
     * in the map; an entry is immutable, so any one it sees is right for its class.
     */
    private Registered lastApp;
    /** This pool's tasks and their running bodies; the owner in every TaskSpec the pool submits. */
    private final TaskGroup group;
    /** Completes when the group has terminated and an owned DataFlowKernel is cleaned up. */
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean terminationArranged = new AtomicBoolean();
    private volatile boolean shutdown;

    /**
     * A pool that owns a new DataFlowKernel loaded from the config, using all its executors. The pool
     * cleans the DataFlowKernel up when it terminates.
     *
     * @param config what to run on
     * @throws IllegalArgumentException if config is null
     * @throws RuntimeException what {@code Parsl.load(config)} throws
     */
    public ParslPoolExecutor(Config config) {
        this(config, null);
    }

    /**
     * A pool that owns a new DataFlowKernel loaded from the config, using all its executors, whose
     * tasks have a walltime (see {@link #walltime()}). The pool cleans the DataFlowKernel up when it
     * terminates.
     *
     * @param config what to run on
     * @param walltime how long one try of each task may run, positive; {@code null} for no limit
     * @throws IllegalArgumentException if config is null, or walltime is zero or negative
     * @throws RuntimeException what {@code Parsl.load(config)} throws
     */
    public ParslPoolExecutor(Config config, Duration walltime) {
        if (config == null) {
            throw new IllegalArgumentException("config is null: pass a Config (Config.builder()...build()), or use ParslPoolExecutor(dfk) to borrow a running DataFlowKernel");
        }
        this.walltime = TaskSpec.checkWalltime(walltime);
        this.dfk = Parsl.load(config);
        this.ownsDfk = true;
        this.executors = Set.of();
        this.localTaskDecorator = null;
        this.allLocal = false;
        this.group = new TaskGroup("this ParslPoolExecutor");
    }

    /**
     * A pool over a running DataFlowKernel, using all its executors; the pool never stops it.
     *
     * @param dfk the DataFlowKernel to borrow
     * @throws IllegalArgumentException if dfk is null
     */
    public ParslPoolExecutor(DataFlowKernel dfk) {
        this(dfk, List.of());
    }

    /**
     * A pool over a running DataFlowKernel whose tasks run only on the given executors; the pool never
     * stops the DataFlowKernel.
     *
     * @param dfk the DataFlowKernel to borrow
     * @param executors executor labels; empty means all
     * @throws IllegalArgumentException if dfk is null, or a label is not configured (the message names
     *         it and the configured labels)
     * @throws NullPointerException if executors is null
     */
    public ParslPoolExecutor(DataFlowKernel dfk, Collection<String> executors) {
        this(dfk, executors, (Duration) null);
    }

    /**
     * A pool over a running DataFlowKernel whose tasks run only on the given executors, with a
     * walltime (see {@link #walltime()}); the pool never stops the DataFlowKernel.
     *
     * @param dfk the DataFlowKernel to borrow
     * @param executors executor labels; empty means all
     * @param walltime how long one try of each task may run, positive; {@code null} for no limit
     * @throws IllegalArgumentException if dfk is null, a label is not configured, or walltime is zero
     *         or negative
     * @throws NullPointerException if executors is null
     */
    public ParslPoolExecutor(DataFlowKernel dfk, Collection<String> executors, Duration walltime) {
        this(dfk, executors, walltime, null);
    }

    /**
     * A pool over a running DataFlowKernel whose local tasks are wrapped by a decorator, with no
     * walltime: {@link #ParslPoolExecutor(DataFlowKernel, Collection, Duration, UnaryOperator)} with
     * {@code null} walltime.
     *
     * @param dfk the DataFlowKernel to borrow
     * @param executors executor labels; empty means all
     * @param localTaskDecorator the decorator, or null for none
     * @throws IllegalArgumentException if dfk is null, or a label is not configured
     * @throws NullPointerException if executors is null
     */
    public ParslPoolExecutor(DataFlowKernel dfk, Collection<String> executors, UnaryOperator<Runnable> localTaskDecorator) {
        this(dfk, executors, null, localTaskDecorator);
    }

    /**
     * A pool over a running DataFlowKernel whose tasks run only on the given executors, with a walltime,
     * and whose tasks that run on threads of this JVM are wrapped by a decorator — as a Spring
     * {@code TaskDecorator} wraps the tasks of an executor. The decorator is called on the submitting
     * thread, once per task, with a runnable that runs the task's current try; what it returns runs on
     * the executor's thread, once per try. So it may capture the submitter's context (MDC, security,
     * tracing) and restore it around the body. It applies only when every executor of the pool is a
     * {@link ThreadPoolExecutor} (a task that may go to another JVM is not decorated: the decorator is
     * code of this JVM).
     *
     * @param dfk the DataFlowKernel to borrow
     * @param executors executor labels; empty means all
     * @param walltime how long one try of each task may run, positive; {@code null} for no limit
     * @param localTaskDecorator the decorator, or null for none
     * @throws IllegalArgumentException if dfk is null, a label is not configured, or walltime is zero
     *         or negative
     * @throws NullPointerException if executors is null
     */
    public ParslPoolExecutor(DataFlowKernel dfk, Collection<String> executors, Duration walltime,
            UnaryOperator<Runnable> localTaskDecorator) {
        if (dfk == null) {
            throw new IllegalArgumentException("dfk is null: pass the DataFlowKernel from Parsl.load(config), or use ParslPoolExecutor(config) to start one");
        }
        Objects.requireNonNull(executors, "executors must not be null; pass List.of() for all executors");
        for (String label : executors) {
            if (!dfk.executorLabels().contains(label)) {
                throw new IllegalArgumentException(dfk.unknownExecutor(label));
            }
        }
        this.walltime = TaskSpec.checkWalltime(walltime);
        this.dfk = dfk;
        this.ownsDfk = false;
        this.executors = Set.copyOf(executors);
        this.group = new TaskGroup("this ParslPoolExecutor");
        this.localTaskDecorator = localTaskDecorator;
        this.allLocal = dfk.config().executors().stream()
                .filter(e -> this.executors.isEmpty() || this.executors.contains(e.label()))
                .allMatch(e -> e instanceof ThreadPoolExecutor);
    }

    /**
     * The DataFlowKernel this pool submits to.
     *
     * @return the owned or borrowed DataFlowKernel
     */
    public DataFlowKernel dfk() {
        return dfk;
    }

    /**
     * The walltime of this pool's tasks (Parsl's {@code walltime}), set at construction: a try that
     * runs longer — counted from the moment its executor starts it, not from {@code submit} — fails
     * with {@link org.parsl.dataflow.WalltimeExceeded} naming the limit and is cancelled with
     * interruption (a local thread is interrupted; a remote worker is asked to interrupt it). Retries
     * of the DataFlowKernel's config apply. The task's future then completes on the DataFlowKernel's
     * walltime thread. {@code map}'s timeout is separate: it bounds the whole call, not a try.
     *
     * @return the limit, or empty for none
     */
    public java.util.Optional<Duration> walltime() {
        return java.util.Optional.ofNullable(walltime);
    }

    /**
     * The executor labels this pool's tasks may run on.
     *
     * @return an unmodifiable set; empty means all of the DataFlowKernel's
     */
    public Set<String> executors() {
        return executors;
    }

    /**
     * How many distinct functions (function classes) were submitted: Parsl's app cache.
     *
     * @return the count
     */
    public int appCount() {
        return apps.size();
    }

    // --- submission

    /**
     * Submits a task of no arguments; it runs on one of this pool's executors.
     *
     * @param task the function; serializable, so it may run on a distributed executor
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if task is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take it (e.g. it
     *         captures something not serializable); the message names its class
     */
    public <R> AppFuture<R> submit(TaskCallable<R> task) {
        return submitFunction(Objects.requireNonNull(task, "task"), task, NO_ARGS);
    }

    /**
     * Submits a plain {@code Callable}. It runs on a distributed executor only if it is serializable;
     * prefer {@link TaskCallable}.
     *
     * @param task the callable
     * @param <T> the result type
     * @return the task's future
     * @throws NullPointerException if task is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take it
     */
    @Override
    public <T> AppFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof TaskCallable<T> tc) {
            return submitFunction(tc, tc, NO_ARGS);
        }
        return submitFunction(task, new CallableTask<>(task), NO_ARGS);
    }

    /**
     * Submits a {@code Runnable}; the future's value is {@code null}.
     *
     * @param task the runnable
     * @return the task's future
     * @throws NullPointerException if task is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take it
     */
    @Override
    public AppFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * Submits a {@code Runnable}; the future's value is {@code result}.
     *
     * @param task the runnable
     * @param result the value of the future once the runnable has run
     * @param <T> the result type
     * @return the task's future
     * @throws NullPointerException if task is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take it
     */
    @Override
    public <T> AppFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submitFunction(task, new RunnableTask<>(task, result), NO_ARGS);
    }

    /**
     * Runs the command as a task, like {@link #submit(Runnable)}, discarding the future (a failure is
     * recorded by the DataFlowKernel, not thrown anywhere).
     *
     * @param command the runnable
     * @throws NullPointerException if command is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take it
     */
    @Override
    public void execute(Runnable command) {
        submit(Objects.requireNonNull(command, "command"));
    }

    /**
     * Submits {@code fn(arg)}.
     *
     * @param fn the function
     * @param arg its argument (futures inside a collection, map or array argument are dependencies too)
     * @param <A> the argument type
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if fn is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take the function
     */
    public <A, R> AppFuture<R> submit(TaskFunction<A, R> fn, A arg) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, arg);
    }

    /**
     * Submits {@code fn(value of arg)}: the task runs once {@code arg} completes (launched on the thread
     * that completes it); if {@code arg} fails or is cancelled, the task fails with
     * {@code DependencyError}. Actions of the thread that completed {@code arg} happen-before the body
     * starts (on a local executor).
     *
     * @param fn the function
     * @param arg the future whose value is the argument: an {@link AppFuture} of any pool or app, or any
     *        {@code Future}
     * @param <A> the argument type
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if fn is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take the function
     */
    public <A, R> AppFuture<R> submit(TaskFunction<A, R> fn, Future<? extends A> arg) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, arg);
    }

    /**
     * Submits {@code fn(a, b)}.
     *
     * @param fn the function
     * @param a the first argument
     * @param b the second argument
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if fn is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take the function
     */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, A a, B b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /**
     * Submits {@code fn(value of a, b)}, once {@code a} completes (see
     * {@link #submit(TaskFunction, Future)} for dependencies).
     *
     * @param fn the function
     * @param a the future of the first argument
     * @param b the second argument
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if fn is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take the function
     */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, Future<? extends A> a, B b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /**
     * Submits {@code fn(a, value of b)}, once {@code b} completes (see
     * {@link #submit(TaskFunction, Future)} for dependencies).
     *
     * @param fn the function
     * @param a the first argument
     * @param b the future of the second argument
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if fn is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take the function
     */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, A a, Future<? extends B> b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /**
     * Submits {@code fn(value of a, value of b)}, once both complete (see
     * {@link #submit(TaskFunction, Future)} for dependencies).
     *
     * @param fn the function
     * @param a the future of the first argument
     * @param b the future of the second argument
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the task's future
     * @throws NullPointerException if fn is null
     * @throws RejectedExecutionException if this pool is shut down, or its DataFlowKernel is closed
     * @throws IllegalArgumentException if a distributed executor of this pool cannot take the function
     */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, Future<? extends A> a, Future<? extends B> b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /** The arguments of a task of none (shared: nothing writes into a task's argument array). */
    private static final Object[] NO_ARGS = {};

    private <R> AppFuture<R> submitFunction(Object userFunction, Object function, Object... args) {
        if (shutdown) {
            throw new RejectedExecutionException("this ParslPoolExecutor is shut down: it takes no new tasks");
        }
        Class<?> type = userFunction.getClass();
        Registered app = lastApp;
        if (app == null || app.type != type) {
            app = apps.computeIfAbsent(type, c -> new Registered(c, FunctionNames.of(userFunction)));
            lastApp = app;
        }
        // The group, not this flag, decides for a submission racing with shutdown(): it is either
        // rejected or counted before the pool can terminate.
        TaskBinder binder = app.binderFor(function);
        if (localTaskDecorator != null && allLocal) {
            binder = decorated(binder, localTaskDecorator);
        }
        return dfk.submit(new TaskSpec(app.name, function, binder, args, executors, false, group, false, walltime));
    }

    /**
     * A decorated task's binder: the decorator wraps the task's body once, on the submitting thread;
     * each try runs its own body inside it.
     */
    private static TaskBinder decorated(TaskBinder binder, UnaryOperator<Runnable> decorator) {
        DecoratedCalls calls = new DecoratedCalls(decorator);
        return resolved -> {
            TaskCallable<?> inner = binder.bind(resolved);
            return (TaskCallable<Object>) () -> calls.call(inner);
        };
    }

    /** A function registered with this pool: Parsl's cached app. */
    private static final class Registered {
        final Class<?> type;
        final String name;

        Registered(Class<?> type, String name) {
            this.type = type;
            this.name = name;
        }

        TaskBinder binderFor(Object function) {
            return resolved -> Invocation.of(function, resolved);
        }
    }

    // --- map

    /**
     * Python's {@code Executor.map}: submits {@code fn(x)} for every input now, and returns the
     * results lazily, in input order. A failed task makes the stream throw
     * {@code CompletionException} (cause: the task's exception) when its result is reached. Closing
     * the stream cancels the tasks whose results were not taken. The stream is sequential and, like
     * any stream, for one thread.
     *
     * @param fn the function
     * @param inputs its arguments, one task each
     * @param <A> the argument type
     * @param <R> the result type
     * @return the results, in input order
     * @throws NullPointerException if fn or inputs is null
     * @throws RejectedExecutionException if this pool is shut down (tasks submitted by this call
     *         before the rejection are left to run)
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs) {
        return map(fn, inputs, null, Integer.MAX_VALUE);
    }

    /**
     * As {@link #map(TaskFunction, Iterable)}, with a timeout counted from this call: a result not
     * ready by then makes the stream throw {@code CompletionException} caused by
     * {@link TimeoutException}, and the tasks not yet done are cancelled (with interruption). A zero
     * or negative timeout does not wait: only results already there when they are reached are
     * returned.
     *
     * @param fn the function
     * @param inputs its arguments, one task each
     * @param timeout counted from this call
     * @param <A> the argument type
     * @param <R> the result type
     * @return the results, in input order
     * @throws NullPointerException if fn, inputs or timeout is null
     * @throws RejectedExecutionException if this pool is shut down
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs, Duration timeout) {
        return map(fn, inputs, Objects.requireNonNull(timeout, "timeout"), Integer.MAX_VALUE);
    }

    /**
     * A bounded {@code map} for huge (or endless) inputs: at most {@code maxInFlight} tasks are
     * submitted and not yet taken; more are submitted as results are consumed (on the consuming
     * thread), so memory stays flat.
     *
     * @param fn the function
     * @param inputs its arguments, one task each, read as results are consumed
     * @param maxInFlight how many tasks may be submitted and not yet taken; at least 1
     * @param <A> the argument type
     * @param <R> the result type
     * @return the results, in input order
     * @throws NullPointerException if fn or inputs is null
     * @throws IllegalArgumentException if maxInFlight is less than 1
     * @throws RejectedExecutionException if this pool is shut down (when a task is submitted, which may
     *         be while the stream is consumed)
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs, int maxInFlight) {
        return map(fn, inputs, null, maxInFlight);
    }

    /**
     * A bounded {@code map} with a timeout; see {@link #map(TaskFunction, Iterable, Duration)} and
     * {@link #map(TaskFunction, Iterable, int)}.
     *
     * @param fn the function
     * @param inputs its arguments, one task each
     * @param timeout counted from this call, or {@code null} for none; zero or negative does not wait
     * @param maxInFlight how many tasks may be submitted and not yet taken; at least 1
     * @param <A> the argument type
     * @param <R> the result type
     * @return the results, in input order
     * @throws NullPointerException if fn or inputs is null
     * @throws IllegalArgumentException if maxInFlight is less than 1
     * @throws RejectedExecutionException if this pool is shut down
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs, Duration timeout, int maxInFlight) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight is " + maxInFlight + ": it must be at least 1");
        }
        MapResults<A, R> results = new MapResults<>(inputs.iterator(), a -> submit(fn, a), maxInFlight,
                timeout == null ? null : saturatedNanos(timeout));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED), false)
                .onClose(results::cancelRest);
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    // --- invokeAll / invokeAny

    /**
     * Submits every task and waits until all are final. A task whose future was cancelled counts as
     * final (as for {@code ExecutorService}).
     *
     * <p>Memory consistency effects: the completion of each returned future happens-before this
     * method returns.
     *
     * @return the tasks' futures, in the collection's iteration order, all done
     * @throws InterruptedException if interrupted while waiting; the tasks not yet final are then
     *         cancelled (with interruption)
     * @throws NullPointerException if tasks or any of its elements is null (nothing is submitted then)
     * @throws RejectedExecutionException if this pool is shut down; tasks already submitted by this
     *         call are cancelled
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Callable<T>> list = nonNullTasks(tasks);
        List<Future<T>> futures = new ArrayList<>(list.size());
        try {
            for (Callable<T> t : list) {
                futures.add(submit(t));
            }
            for (Future<T> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException | CancellationException ignored) {
                    // the caller reads each outcome from its future
                }
            }
            return futures;
        } catch (InterruptedException | RuntimeException | Error e) {
            cancelAll(futures);
            throw e;
        }
    }

    /**
     * Submits the tasks and waits until all are final or the timeout elapses, whichever happens first;
     * then the tasks not yet final are cancelled (with interruption). A zero or negative timeout does
     * not wait. As in {@code AbstractExecutorService}, the deadline is checked between submissions: a
     * task reached after it is not submitted at all, and its future is a cancelled plain
     * {@code Future} that belongs to no task (so with a zero timeout nothing runs).
     *
     * <p>Memory consistency effects: the completion of each returned future happens-before this
     * method returns.
     *
     * @return the tasks' futures, in the collection's iteration order, all done
     * @throws InterruptedException if interrupted while waiting; the tasks not yet final are then
     *         cancelled (with interruption)
     * @throws NullPointerException if tasks, any of its elements, or unit is null (nothing is submitted
     *         then)
     * @throws RejectedExecutionException if this pool is shut down; tasks already submitted by this
     *         call are cancelled
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        List<Callable<T>> list = nonNullTasks(tasks);
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(timeout);
        long deadline = System.nanoTime() + nanos;
        List<Future<T>> futures = new ArrayList<>(list.size());
        try {
            for (int i = 0; i < list.size(); i++) {
                if ((i == 0 ? nanos : deadline - System.nanoTime()) <= 0) {
                    while (futures.size() < list.size()) {
                        CompletableFuture<T> notSubmitted = new CompletableFuture<>();
                        notSubmitted.cancel(false);
                        futures.add(notSubmitted);
                    }
                    return futures;
                }
                futures.add(submit(list.get(i)));
            }
            for (Future<T> f : futures) {
                if (f.isDone()) {
                    continue;
                }
                try {
                    f.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException ignored) {
                    // the caller reads each outcome from its future
                } catch (TimeoutException e) {
                    cancelAll(futures);
                    return futures;
                }
            }
            return futures;
        } catch (InterruptedException | RuntimeException | Error e) {
            cancelAll(futures);
            throw e;
        }
    }

    /**
     * Submits every task and returns the result of one that completed successfully, once one has;
     * the others are then cancelled (with interruption). If none succeeds, throws the failure of the
     * last one to fail.
     *
     * @return the result of one task
     * @throws InterruptedException if interrupted while waiting; the tasks are then cancelled
     * @throws ExecutionException if no task succeeded (the cause is the last failure: a task's
     *         exception, or the {@code CancellationException} of a cancelled task)
     * @throws IllegalArgumentException if tasks is empty
     * @throws NullPointerException if tasks or any of its elements is null (nothing is submitted then)
     * @throws RejectedExecutionException if this pool is shut down; tasks already submitted by this
     *         call are cancelled
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, false, 0);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // cannot happen without a deadline
        }
    }

    /**
     * As {@link #invokeAny(Collection)}, waiting at most the given time: if no task has succeeded by
     * then, the tasks are cancelled (with interruption) and a {@code TimeoutException} is thrown. A zero
     * or negative timeout does not wait: only a task that has already succeeded by the time every
     * task is submitted counts.
     *
     * @throws TimeoutException if no task succeeded within the timeout
     * @throws NullPointerException if tasks, any of its elements, or unit is null (nothing is
     *         submitted then)
     * @throws InterruptedException if interrupted while waiting; the tasks are then cancelled
     * @throws ExecutionException if every task failed within the timeout (the cause is the last failure)
     * @throws IllegalArgumentException if tasks is empty
     * @throws RejectedExecutionException if this pool is shut down; tasks already submitted by this
     *         call are cancelled
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return any(tasks, true, unit.toNanos(timeout));
    }

    private <T> T any(Collection<? extends Callable<T>> tasks, boolean timed, long nanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Callable<T>> list = nonNullTasks(tasks);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        long deadline = System.nanoTime() + nanos;
        CompletableFuture<T> first = new CompletableFuture<>();
        List<AppFuture<T>> futures = new ArrayList<>(list.size());
        AtomicInteger failures = new AtomicInteger();
        int total = list.size();
        try {
            for (Callable<T> t : list) {
                AppFuture<T> f = submit(t);
                futures.add(f);
                f.whenComplete((v, e) -> {
                    if (e == null) {
                        first.complete(v);
                    } else if (failures.incrementAndGet() == total) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        first.completeExceptionally(new ExecutionException(cause)); // a CancellationException too
                    }
                });
            }
            if (!timed) {
                return first.get();
            }
            // Not deadline - now for a non-positive timeout: that overflows for a very negative one.
            return first.get(nanos <= 0 ? 0 : deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ExecutionException ee ? ee : e;
        } finally {
            cancelAll(futures);
        }
    }

    private static <T> List<Callable<T>> nonNullTasks(Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<Callable<T>> list = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            list.add(Objects.requireNonNull(t, "a task in tasks is null"));
        }
        return list;
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            f.cancel(true);
        }
    }

    // --- lifecycle

    /**
     * Starts an orderly shutdown: no new tasks are accepted, and the tasks already submitted run to
     * their end — nothing is cancelled or interrupted, not even a task cancelled earlier with
     * {@code cancel(false)} whose body still runs. Does not wait (use {@link #awaitTermination}).
     * Once this pool's tasks have all completed execution, the pool terminates; an owned
     * DataFlowKernel is cleaned up then, before {@link #isTerminated()} is {@code true}. Idempotent.
     */
    @Override
    public void shutdown() {
        shutdown = true;
        group.shutdown();
        arrangeTermination();
    }

    /**
     * Stops: no new tasks are accepted; this pool's tasks that have not started (waiting on
     * dependencies or queued) are cancelled first, so that they never run, and returned; then its
     * running tasks are cancelled with interruption. Their futures are cancelled at once; the pool
     * terminates once their bodies have returned (a body that ignores the interrupt keeps the pool
     * from terminating, as with any {@code ExecutorService}). An owned DataFlowKernel is cleaned up
     * then.
     *
     * @return for each task that never started, a runnable that would run it on the calling thread
     *         (with its dependencies' values), in submission order
     */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        group.shutdown();
        List<Runnable> notStarted = dfk.cancelNotStarted(group);
        for (AppFuture<?> f : dfk.unfinishedTasks(group)) {
            f.cancel(true);
        }
        arrangeTermination();
        return notStarted;
    }

    /** Once, after the group is shut down: terminate when it does (clean up an owned DataFlowKernel first). */
    private void arrangeTermination() {
        if (terminationArranged.getAndSet(true)) {
            return;
        }
        if (group.isTerminated()) {
            finishTermination(); // on the caller's thread
        } else {
            // The last task or body ends on an executor's thread: clean up elsewhere, as cleanup stops
            // that executor and may take a while.
            group.termination().thenRun(() -> {
                if (ownsDfk) {
                    Thread t = new Thread(this::finishTermination, "parsl-pool-cleanup");
                    t.start();
                } else {
                    finishTermination();
                }
            });
        }
    }

    private void finishTermination() {
        try {
            if (ownsDfk) {
                dfk.cleanup();
            }
        } finally {
            terminated.complete(null);
        }
    }

    /**
     * Whether {@link #shutdown()} or {@link #shutdownNow()} was called.
     *
     * @return {@code true} once the pool takes no new tasks
     */
    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /**
     * Whether the pool has terminated: it is shut down, every one of its tasks has completed execution
     * — is final, and the body of each of its started tries has returned (a cancelled task whose body
     * still runs has not completed) — and an owned DataFlowKernel has been cleaned up. Never
     * {@code true} unless {@code shutdown} or {@code shutdownNow} was called first.
     *
     * <p>Memory consistency effects: the actions of this pool's task bodies (on local executors) happen-before
     * this method returns {@code true}.
     *
     * @return whether the pool has terminated
     */
    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /**
     * Blocks until the pool has terminated (see {@link #isTerminated()}) after a shutdown request, the
     * timeout elapses, or the current thread is interrupted, whichever happens first. On a pool that
     * is not shut down it waits out the whole timeout (unless another thread shuts it down and it
     * terminates meanwhile). A zero or negative timeout does not wait.
     *
     * <p>Memory consistency effects: the actions of this pool's task bodies (on local executors) happen-before
     * this method returns {@code true}.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return {@code true} if the pool terminated, {@code false} if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting
     * @throws NullPointerException if unit is null
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Objects.requireNonNull(unit, "unit").toNanos(timeout);
        if (terminated.isDone()) {
            return true;
        }
        if (nanos <= 0) {
            return false;
        }
        try {
            terminated.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    /**
     * {@code ExecutorService.close()} (of Java 19 and later): shuts down, waits until the pool has terminated (its tasks have
     * completed execution and an owned DataFlowKernel is cleaned up). If interrupted while waiting,
     * stops as {@link #shutdownNow()} does, goes on waiting, and keeps the interrupt status. Returns at
     * once if the pool has terminated already.
     */
    @Override
    public void close() {
        if (isTerminated()) {
            return;
        }
        shutdown();
        boolean interrupted = false;
        while (!isTerminated()) {
            try {
                awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ParslPoolExecutor[" + (executors.isEmpty() ? dfk.executorLabels() : executors)
                + (ownsDfk ? ", owns " : ", borrows ") + dfk + (shutdown ? ", shut down" : "") + "]";
    }
}
