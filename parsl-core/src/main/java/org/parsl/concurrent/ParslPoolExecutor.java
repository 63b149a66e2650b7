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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.parsl.dataflow.TaskSpec;

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
 */
public final class ParslPoolExecutor implements ExecutorService, AutoCloseable {

    private final DataFlowKernel dfk;
    private final boolean ownsDfk;
    private final Set<String> executors;
    private final Map<Class<?>, Registered> apps = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean shutdown;

    /**
     * A pool that owns a new DataFlowKernel loaded from the config, using all its executors.
     *
     * @throws IllegalArgumentException if config is null
     */
    public ParslPoolExecutor(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("config is null: pass a Config (Config.builder()...build()), or use ParslPoolExecutor(dfk) to borrow a running DataFlowKernel");
        }
        this.dfk = Parsl.load(config);
        this.ownsDfk = true;
        this.executors = Set.of();
    }

    /**
     * A pool over a running DataFlowKernel, using all its executors; the pool never stops it.
     *
     * @throws IllegalArgumentException if dfk is null
     */
    public ParslPoolExecutor(DataFlowKernel dfk) {
        this(dfk, List.of());
    }

    /**
     * A pool over a running DataFlowKernel whose tasks run only on the given executors; the pool never
     * stops the DataFlowKernel.
     *
     * @param executors executor labels; empty means all
     * @throws IllegalArgumentException if dfk is null, or a label is not configured (the message names
     *         it and the configured labels)
     */
    public ParslPoolExecutor(DataFlowKernel dfk, Collection<String> executors) {
        if (dfk == null) {
            throw new IllegalArgumentException("dfk is null: pass the DataFlowKernel from Parsl.load(config), or use ParslPoolExecutor(config) to start one");
        }
        Objects.requireNonNull(executors, "executors must not be null; pass List.of() for all executors");
        for (String label : executors) {
            if (!dfk.executorLabels().contains(label)) {
                throw new IllegalArgumentException(dfk.unknownExecutor(label));
            }
        }
        this.dfk = dfk;
        this.ownsDfk = false;
        this.executors = Set.copyOf(executors);
    }

    /** The DataFlowKernel this pool submits to. */
    public DataFlowKernel dfk() {
        return dfk;
    }

    /** The executor labels this pool's tasks may run on; empty = all of the DataFlowKernel's. */
    public Set<String> executors() {
        return executors;
    }

    /** How many distinct functions (function classes) were submitted: Parsl's app cache. */
    public int appCount() {
        return apps.size();
    }

    // --- submission

    /** Submits a task of no arguments. */
    public <R> AppFuture<R> submit(TaskCallable<R> task) {
        return submitFunction(Objects.requireNonNull(task, "task"), task);
    }

    /**
     * Submits a plain {@code Callable}. It runs on a distributed executor only if it is serializable;
     * prefer {@link TaskCallable}.
     */
    @Override
    public <T> AppFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof TaskCallable<T> tc) {
            return submitFunction(tc, tc);
        }
        return submitFunction(task, new CallableTask<>(task));
    }

    /** Submits a {@code Runnable}; the future's value is {@code null}. */
    @Override
    public AppFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /** Submits a {@code Runnable}; the future's value is {@code result}. */
    @Override
    public <T> AppFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submitFunction(task, new RunnableTask<>(task, result));
    }

    /** Runs the command as a task, like {@link #submit(Runnable)}, discarding the future. */
    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    /** Submits {@code fn(arg)}. */
    public <A, R> AppFuture<R> submit(TaskFunction<A, R> fn, A arg) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, arg);
    }

    /** Submits {@code fn(value of arg)}: the task runs once {@code arg} completes; if it fails, the task fails with {@code DependencyError}. */
    public <A, R> AppFuture<R> submit(TaskFunction<A, R> fn, Future<? extends A> arg) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, arg);
    }

    /** Submits {@code fn(a, b)}. */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, A a, B b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /** Submits {@code fn(value of a, b)}, once {@code a} completes. */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, Future<? extends A> a, B b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /** Submits {@code fn(a, value of b)}, once {@code b} completes. */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, A a, Future<? extends B> b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    /** Submits {@code fn(value of a, value of b)}, once both complete. */
    public <A, B, R> AppFuture<R> submit(TaskBiFunction<A, B, R> fn, Future<? extends A> a, Future<? extends B> b) {
        return submitFunction(Objects.requireNonNull(fn, "fn"), fn, a, b);
    }

    private <R> AppFuture<R> submitFunction(Object userFunction, Object function, Object... args) {
        if (shutdown) {
            throw new RejectedExecutionException("this ParslPoolExecutor is shut down: it takes no new tasks");
        }
        Registered app = apps.get(userFunction.getClass());
        if (app == null) {
            app = apps.computeIfAbsent(userFunction.getClass(), c -> new Registered(FunctionNames.of(userFunction)));
        }
        return dfk.submit(new TaskSpec(app.name, function, app.binderFor(function), args, executors, false, this));
    }

    /** A function registered with this pool: Parsl's cached app. */
    private static final class Registered {
        final String name;

        Registered(String name) {
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
     * the stream cancels the tasks whose results were not taken.
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs) {
        return map(fn, inputs, null, Integer.MAX_VALUE);
    }

    /**
     * As {@link #map(TaskFunction, Iterable)}, with a timeout counted from this call: a result not
     * ready by then makes the stream throw {@code CompletionException} caused by
     * {@link TimeoutException}, and the tasks not yet done are cancelled (with interruption).
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs, Duration timeout) {
        return map(fn, inputs, Objects.requireNonNull(timeout, "timeout"), Integer.MAX_VALUE);
    }

    /**
     * A bounded {@code map} for huge (or endless) inputs: at most {@code maxInFlight} tasks are
     * submitted and not yet taken; more are submitted as results are consumed, so memory stays flat.
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs, int maxInFlight) {
        return map(fn, inputs, null, maxInFlight);
    }

    /**
     * A bounded {@code map} with a timeout; see {@link #map(TaskFunction, Iterable, Duration)} and
     * {@link #map(TaskFunction, Iterable, int)}.
     *
     * @param timeout counted from this call, or {@code null} for none
     */
    public <A, R> Stream<R> map(TaskFunction<A, R> fn, Iterable<? extends A> inputs, Duration timeout, int maxInFlight) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight is " + maxInFlight + ": it must be at least 1");
        }
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout is " + timeout + ": it must not be negative");
        }
        MapResults<A, R> results = new MapResults<>(inputs.iterator(), a -> submit(fn, a), maxInFlight,
                timeout == null ? -1 : timeout.toNanos());
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED), false)
                .onClose(results::cancelRest);
    }

    // --- invokeAll / invokeAny

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            futures.add(submit(t));
        }
        for (Future<T> f : futures) {
            try {
                f.get();
            } catch (ExecutionException | CancellationException ignored) {
                // the caller reads each outcome from its future
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                throw e;
            }
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            futures.add(submit(t));
        }
        for (Future<T> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException ignored) {
                // the caller reads each outcome from its future
            } catch (TimeoutException e) {
                futures.forEach(x -> x.cancel(true));
                break;
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                throw e;
            }
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, -1);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // cannot happen without a deadline
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return any(tasks, unit.toNanos(timeout));
    }

    private <T> T any(Collection<? extends Callable<T>> tasks, long timeoutNanos)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        CompletableFuture<T> first = new CompletableFuture<>();
        List<AppFuture<T>> futures = new ArrayList<>(tasks.size());
        int[] failures = {0};
        int total = tasks.size();
        for (Callable<T> t : tasks) {
            AppFuture<T> f = submit(t);
            futures.add(f);
            f.whenComplete((v, e) -> {
                if (e == null) {
                    first.complete(v);
                } else {
                    synchronized (failures) {
                        if (++failures[0] == total) {
                            first.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
                        }
                    }
                }
            });
        }
        try {
            return timeoutNanos < 0 ? first.get() : first.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    // --- lifecycle

    /**
     * No new tasks are accepted; tasks already submitted run to the end. Does not wait. An owned
     * DataFlowKernel is cleaned up once this pool's tasks are done.
     */
    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        List<AppFuture<?>> left = dfk.unfinishedTasks(this);
        CompletableFuture.allOf(left.toArray(new CompletableFuture<?>[0])).handle((v, e) -> {
            finishTermination();
            return null;
        });
    }

    private void finishTermination() {
        if (terminated.isDone()) {
            return;
        }
        if (ownsDfk) {
            dfk.cleanup();
        }
        terminated.complete(null);
    }

    /**
     * Stops: no new tasks; this pool's tasks that have not started are cancelled first (they never
     * run) and returned; then its running tasks are cancelled with interruption. An owned
     * DataFlowKernel is cleaned up.
     *
     * @return for each task that never started, a runnable that would run it on the calling thread
     */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> notStarted = dfk.cancelNotStarted(this);
        for (AppFuture<?> f : dfk.unfinishedTasks(this)) {
            f.cancel(true);
        }
        finishTermination();
        return notStarted;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** Whether the pool is shut down, its tasks are all final, and an owned DataFlowKernel is cleaned up. */
    @Override
    public boolean isTerminated() {
        if (!shutdown) {
            return false;
        }
        if (!terminated.isDone() && !dfk.hasUnfinishedTasks(this)) {
            finishTermination();
        }
        return terminated.isDone();
    }

    /** Waits until the pool is terminated (see {@link #isTerminated()}) or the timeout elapses. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (AppFuture<?> f : dfk.unfinishedTasks(this)) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException ignored) {
                // final either way
            } catch (TimeoutException e) {
                return false;
            }
        }
        return isTerminated();
    }

    /**
     * {@link ExecutorService#close()}: shuts down, waits for this pool's tasks to finish, and cleans up an
     * owned DataFlowKernel. If interrupted while waiting, cancels the tasks (as {@link #shutdownNow()})
     * and keeps the interrupt.
     */
    @Override
    public void close() {
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
