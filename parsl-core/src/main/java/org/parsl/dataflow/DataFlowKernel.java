package org.parsl.dataflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.parsl.config.Config;
import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parsl's DataFlowKernel: runs tasks on the executors of a {@link Config}, launching each when its
 * dependencies (futures among its arguments) complete, retrying failures, and tracking every task's
 * state. Create one with {@code Parsl.load(config)}; {@link #close()} it when done.
 *
 * <p>Concurrency: every method may be called from any thread. A task is launched on the thread that
 * completes its last dependency (or the submitting thread if it has none): there is no thread per
 * waiting task. Records of finished tasks are forgotten, so memory is bounded by the tasks in flight;
 * {@link #taskStateCounts()} keeps cumulative counts of final states.
 *
 * <p>Backpressure: a DataFlowKernel holds at most {@link Config#maxTasksInFlight()} unfinished tasks
 * (submitted and not yet final, whatever their executor). {@link #submit(TaskSpec)} from an application
 * thread waits for room when that many are unfinished — or, with {@link Config#blockWhenFull()} off,
 * throws {@code RejectedExecutionException} naming the bound — so memory stays flat for any number of
 * submissions. Threads that end or run tasks never wait: a submission from a callback on a task's
 * future, from a listener, or from a local task's body (a join app's function) goes over the bound
 * instead, since waiting there could stop the thread that frees room. Launching a task whose
 * dependencies completed never waits either: it was admitted when submitted.
 *
 * <p>Walltime: a task whose spec has a {@link TaskSpec#walltime() walltime} fails a try that runs
 * longer with {@link WalltimeExceeded}, counted from the moment its executor reports the start. The
 * try is cancelled with interruption and retried if retries are left; one timer thread of this
 * DataFlowKernel, {@code parsl-walltime}, serves every walltime, and the future of a task that fails by
 * its walltime completes (and its callbacks run) on that thread.
 *
 * <p>Threads that run callbacks: a task's body runs on a thread of its executor. Its future is
 * completed — and the callbacks registered on it, the launch of its dependents, and
 * {@link TaskListener}s all run — on the thread that ends the task: for a local executor the thread
 * that ran the body (right after it returned), for a distributed one the executor's thread that
 * received the result, for a cancelled task the thread that cancelled it, for a task whose dependency
 * failed the thread that completed that dependency, and at {@link #cleanup()} the cleaning thread.
 *
 * <p>Memory consistency effects: actions in a thread before it submits a task, and actions of the
 * threads that complete the task's dependencies before they complete them, happen-before the task's
 * body starts on a local executor (a distributed executor runs it on serialized copies of its
 * arguments); the actions of a body on a local executor happen-before its future completes, and so
 * before a {@code get()} of it returns. A state change happens-before the listeners are told of it.
 */
public final class DataFlowKernel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DataFlowKernel.class);
    private static final String JOIN_EXECUTOR = "_parsl_internal";

    private final Config config;
    private final String runId;
    private final Path runDir;
    private final Map<String, RunningExecutor> executors;
    private final RunningExecutor[] allExecutors;
    private final Map<Set<String>, RunningExecutor[]> candidateCache = new ConcurrentHashMap<>();
    /**
     * Runs join apps' functions; started on the first join app (its threads start with it), under this
     * object's lock, which cleanup takes to stop it. Null until then.
     */
    private RunningExecutor joinExecutor;
    private final ExecutorContext context;
    /** The last task id; alone on its cache line, as the submitting thread writes it per task and executor threads read fields nearby. */
    private final PaddedLong ids = new PaddedLong();
    /** The unfinished tasks' records (see {@link TaskRegistry} for why it is not a map). */
    private final TaskRegistry tasks = new TaskRegistry();
    private final StateCounters counters = new StateCounters(tasks);
    private final Memoizer memo = new Memoizer();
    private volatile TaskListener[] listeners = new TaskListener[0];
    private volatile boolean closed;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile ExecutorService futureWaiters;
    /** Started bodies, counted in a TaskGroup, on executors that do not report their end. */
    private final Set<Task.Attempt> unreportedBodies = ConcurrentHashMap.newKeySet();
    private final Admission admission;
    private final Walltimes walltimes = new Walltimes();

    private DataFlowKernel(Config config) {
        this.config = config;
        this.runId = UUID.randomUUID().toString();
        this.runDir = makeRunDir(config.runDir());
        this.admission = new Admission(config.maxTasksInFlight(), config.blockWhenFull());
        ExecutorContext context = new ExecutorContext(runId, runDir, config);
        Map<String, RunningExecutor> started = new LinkedHashMap<>();
        try {
            for (ParslExecutor e : config.executors()) {
                started.put(e.label(), e.start(context));
                log.info("executor '{}' started ({})", e.label(), e.getClass().getSimpleName());
            }
        } catch (RuntimeException e) {
            started.values().forEach(DataFlowKernel::stopQuietly);
            throw e;
        }
        this.executors = Collections.unmodifiableMap(started);
        this.allExecutors = started.values().toArray(new RunningExecutor[0]);
        this.context = context;
        log.info("DataFlowKernel {} started in {} with executors {}", runId, runDir, executors.keySet());
    }

    /**
     * Starts a new DataFlowKernel for the config: makes its run directory and starts its executors.
     * {@code Parsl.load(config)} is the usual way to call it. Each call starts a new one, with its
     * own run directory; one config may be loaded any number of times.
     *
     * @param config what to run on
     * @return the started DataFlowKernel, which the caller closes
     * @throws IllegalArgumentException if config is null
     * @throws java.io.UncheckedIOException if the run directory cannot be made
     * @throws RuntimeException what an executor's start threw (executors started before it are stopped)
     */
    public static DataFlowKernel start(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("config is null: pass a Config built with Config.builder()");
        }
        return new DataFlowKernel(config);
    }

    /**
     * The config this DataFlowKernel was loaded from.
     *
     * @return the config (immutable)
     */
    public Config config() {
        return config;
    }

    /**
     * The labels of the configured executors, in config order.
     *
     * @return an unmodifiable set
     */
    public Set<String> executorLabels() {
        return executors.keySet();
    }

    /**
     * This run's own directory ({@code <runDir>/NNN}), made at start.
     *
     * @return the directory
     */
    public Path runDir() {
        return runDir;
    }

    /**
     * This run's unique id (results of distributed executors are routed by it).
     *
     * @return a random UUID string
     */
    public String runId() {
        return runId;
    }

    /**
     * Whether {@link #cleanup()} was called (directly or by {@link #close()}): new tasks are rejected.
     *
     * @return {@code true} once cleanup has begun
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The status of every configured executor, in config order. Cheap; never blocks.
     *
     * @return a new list of snapshots
     */
    public List<ExecutorStatus> executorStatuses() {
        List<ExecutorStatus> list = new ArrayList<>(allExecutors.length);
        for (RunningExecutor e : allExecutors) {
            list.add(e.status());
        }
        return list;
    }

    /**
     * Tasks submitted whose futures have not completed yet (the records the DataFlowKernel holds). A
     * snapshot, taken in one pass over them.
     *
     * @return the count
     */
    public int tasksInFlight() {
        return tasks.size();
    }

    /**
     * Adds a listener of task events (see {@link TaskListener} for the threads that call it). It sees
     * the events that happen after this call returns.
     *
     * @param listener the listener; added again, it is called twice
     * @throws IllegalArgumentException if listener is null
     */
    public synchronized void addListener(TaskListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is null");
        }
        TaskListener[] old = listeners;
        TaskListener[] copy = java.util.Arrays.copyOf(old, old.length + 1);
        copy[old.length] = listener;
        listeners = copy;
    }

    /**
     * Removes a listener added before (one registration of it); no effect if it was not added.
     * Events already being delivered may still reach it.
     *
     * @param listener the listener
     */
    public synchronized void removeListener(TaskListener listener) {
        List<TaskListener> list = new ArrayList<>(List.of(listeners));
        list.remove(listener);
        listeners = list.toArray(new TaskListener[0]);
    }

    /**
     * Submits a task and returns its future at once; the task launches when its last dependency
     * completes (at once if it has none). Apps ({@code App}, {@code ParslPoolExecutor}) call this.
     *
     * <p>Dependencies are the {@link Future}s among the arguments (also one level inside
     * {@code Collection}s, {@code Map} values and arrays among them). A task without dependencies is
     * handed to its executor on the calling thread; one with dependencies, on the thread that
     * completes its last dependency (for an {@link AppFuture}, the thread that completes that task;
     * for a {@code Future} that is not a {@code CompletionStage}, a DataFlowKernel thread that waits on
     * it). A failed or cancelled dependency fails the task with {@link DependencyError} on that thread.
     * If {@code spec.owner()} is a {@link TaskGroup}, the task is counted in it until it is final and
     * each of its started bodies until it ends.
     *
     * <p>Blocking: when this DataFlowKernel already holds {@link Config#maxTasksInFlight()} unfinished
     * tasks, the call waits until one is final (see the class documentation for the threads that never
     * wait), or throws at once if {@link Config#blockWhenFull()} is off. A call waiting for room is
     * woken by {@link #cleanup()} (also through {@link #close()}) with {@code RejectedExecutionException}.
     *
     * <p>Memory consistency effects: actions in the submitting thread before this call, and actions of
     * the threads that completed its dependencies before they completed them, happen-before the task's
     * body starts (on a local executor; a remote one receives serialized copies of the arguments). The
     * body's actions happen-before its future completes.
     *
     * @param spec what to run and where
     * @param <R> the task's result type
     * @return the task's future
     * @throws RejectedExecutionException after {@link #close()} or {@link #cleanup()} (also when they
     *         happen while the call waits for room), if the spec's owner is a {@link TaskGroup} that is
     *         shut down, if the bound is reached and {@link Config#blockWhenFull()} is off (the message
     *         names the bound and the setting), or if the caller is interrupted while it waits for room
     *         (its interrupt status is set again)
     * @throws NullPointerException if spec is null (and this DataFlowKernel is not closed)
     * @throws IllegalArgumentException if the spec names an executor that is not configured, or a
     *         distributed executor cannot take the function (e.g. not serializable)
     */
    @SuppressWarnings("unchecked")
    public <R> AppFuture<R> submit(TaskSpec spec) {
        if (closed) {
            throw rejected();
        }
        Objects.requireNonNull(spec, "spec");
        boolean permit = admission.admit(this); // may wait for room
        if (closed) {
            if (permit) {
                admission.release();
            }
            throw rejected();
        }
        TaskGroup group = spec.owner() instanceof TaskGroup g ? g : null;
        if (group != null && !group.tryEnter()) {
            if (permit) {
                admission.release();
            }
            throw group.rejected();
        }
        Task task;
        try {
            RunningExecutor[] candidates = spec.join() ? new RunningExecutor[] {joinExecutor()} : candidates(spec.executors());
            for (RunningExecutor e : candidates) {
                e.checkSubmittable(spec.function());
            }
            task = new Task(this, ids.incrementAndGet(), spec, candidates, group);
            task.holdsPermit = permit;
        } catch (RuntimeException | Error e) {
            if (permit) {
                admission.release();
            }
            if (group != null) {
                group.exit(); // no task: nothing else will
            }
            throw e;
        }
        // From here the task's move to a final state leaves the group.
        tasks.add(task);
        stateChanged(task, null, TaskState.PENDING);
        if (closed) {
            task.cancel(false);
            throw rejected();
        }
        List<Future<?>> deps = dependencies(spec.args());
        if (deps == null) {
            task.resolvedArgs = spec.args();
            launchFirst(task);
        } else {
            await(task, deps);
        }
        return (AppFuture<R>) task.future;
    }

    /** The join executor, started now if this is the first join app; rejects once cleanup has begun. */
    private synchronized RunningExecutor joinExecutor() {
        if (cleanedUp.get()) {
            throw rejected(); // cleanup stops the join executor under this lock: do not start one after it
        }
        if (joinExecutor == null) {
            joinExecutor = new ThreadPoolExecutor(JOIN_EXECUTOR, Math.max(4, Runtime.getRuntime().availableProcessors()))
                    .start(context);
        }
        return joinExecutor;
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("DataFlowKernel " + runId + " is closed: it takes no new tasks; load a new one with Parsl.load(config)");
    }

    private RunningExecutor[] candidates(Set<String> labels) {
        if (labels.isEmpty()) {
            return allExecutors;
        }
        RunningExecutor[] cached = candidateCache.get(labels);
        if (cached != null) {
            return cached;
        }
        RunningExecutor[] found = new RunningExecutor[labels.size()];
        int i = 0;
        for (String label : labels) {
            RunningExecutor e = executors.get(label);
            if (e == null) {
                throw new IllegalArgumentException(unknownExecutor(label));
            }
            found[i++] = e;
        }
        candidateCache.putIfAbsent(Set.copyOf(labels), found);
        return found;
    }

    /**
     * The message for an executor label that is not configured, naming the configured ones, so that
     * every layer (pools, apps, Spring) says it the same way.
     *
     * @param label the label that is not configured
     * @return e.g. {@code executor 'gpux' is not configured; configured executors: [cpu, gpu]}
     */
    public String unknownExecutor(String label) {
        return "executor '" + label + "' is not configured; configured executors: " + executors.keySet();
    }

    // --- dependencies

    private static List<Future<?>> dependencies(Object[] args) {
        List<Future<?>> deps = null;
        for (Object arg : args) {
            deps = collect(arg, deps, true);
        }
        return deps;
    }

    private static List<Future<?>> collect(Object value, List<Future<?>> deps, boolean descend) {
        if (value instanceof Future<?> f) {
            if (deps == null) {
                deps = new ArrayList<>(4);
            }
            deps.add(f);
        } else if (descend) {
            if (value instanceof Collection<?> c) {
                for (Object o : c) {
                    deps = collect(o, deps, false);
                }
            } else if (value instanceof Map<?, ?> m) {
                for (Object o : m.values()) {
                    deps = collect(o, deps, false);
                }
            } else if (value instanceof Object[] a) {
                for (Object o : a) {
                    deps = collect(o, deps, false);
                }
            }
        }
        return deps;
    }

    private void await(Task task, List<Future<?>> deps) {
        AtomicInteger missing = new AtomicInteger(deps.size());
        Runnable arrived = () -> {
            if (missing.decrementAndGet() == 0) {
                Trampoline.run(() -> resolveAndLaunch(task, deps));
            }
        };
        for (Future<?> f : deps) {
            onDone(f, arrived);
        }
    }

    private void onDone(Future<?> f, Runnable action) {
        if (f instanceof CompletableFuture<?> cf) {
            cf.whenComplete((v, e) -> action.run());
        } else if (f instanceof CompletionStage<?> stage) {
            stage.whenComplete((v, e) -> action.run());
        } else if (f.isDone()) {
            action.run();
        } else {
            waiters().execute(() -> {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | CancellationException e) {
                    // the outcome is read again when the task resolves its arguments
                }
                action.run();
            });
        }
    }

    private ExecutorService waiters() {
        ExecutorService w = futureWaiters;
        if (w == null) {
            synchronized (this) {
                w = futureWaiters;
                if (w == null) {
                    AtomicInteger n = new AtomicInteger();
                    w = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "parsl-future-waiter-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    futureWaiters = w;
                }
            }
        }
        return w;
    }

    private void resolveAndLaunch(Task task, List<Future<?>> deps) {
        if (task.state() != TaskState.PENDING) {
            return; // cancelled while waiting
        }
        DependencyError failed = failedDependencies(task, deps);
        if (failed != null) {
            task.finish(TaskState.DEP_FAIL, null, failed);
            return;
        }
        Object[] args = task.spec.args();
        Object[] resolved = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            resolved[i] = resolve(args[i], true);
        }
        task.resolvedArgs = resolved;
        launchFirst(task);
    }

    /** A {@code DependencyError} naming the futures among these that failed or were cancelled, or null if none did. */
    private static DependencyError failedDependencies(Task task, List<Future<?>> futures) {
        List<Long> failedIds = null;
        Throwable first = null;
        for (Future<?> f : futures) {
            Throwable failure = failureOf(f);
            if (failure != null) {
                if (failedIds == null) {
                    failedIds = new ArrayList<>();
                    first = failure;
                }
                failedIds.add(f instanceof AppFuture<?> af ? af.taskId() : -1L);
            }
        }
        return failedIds == null ? null : new DependencyError(failedIds, task.id(), first);
    }

    private static Throwable failureOf(Future<?> f) {
        if (f instanceof CompletableFuture<?> cf && !cf.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static Object valueOf(Future<?> f) {
        if (f instanceof CompletableFuture<?> cf) {
            return cf.join();
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value with futures (also one level inside collections, map values, arrays) replaced by their values. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object resolve(Object value, boolean descend) {
        if (value instanceof Future<?> f) {
            return valueOf(f);
        }
        if (!descend || dependencies(new Object[] {value}) == null) {
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(o -> copy.add(resolve(o, false)));
            return copy;
        }
        if (value instanceof SortedSet<?> set) {
            TreeSet copy = new TreeSet(set.comparator());
            set.forEach(o -> copy.add(resolve(o, false)));
            return copy;
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(o -> copy.add(resolve(o, false)));
            return copy;
        }
        if (value instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>(c.size());
            c.forEach(o -> copy.add(resolve(o, false)));
            return copy;
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, resolve(v, false)));
            return copy;
        }
        if (value instanceof Object[] a) {
            Class<?> component = a.getClass().getComponentType();
            Object[] copy = Future.class.isAssignableFrom(component)
                    ? new Object[a.length] : (Object[]) Array.newInstance(component, a.length);
            for (int i = 0; i < a.length; i++) {
                copy[i] = resolve(a[i], false);
            }
            return copy;
        }
        return value;
    }

    // --- launching

    private void launchFirst(Task task) {
        if (task.spec.cache() && config.appCache()) {
            Object hit = memo.lookup(task);
            if (hit != Memoizer.NONE) {
                task.finish(TaskState.MEMO_DONE, Memoizer.unwrap(hit), null);
                return;
            }
        }
        try {
            task.body = task.spec.binder().bind(task.resolvedArgs);
        } catch (Exception | LinkageError e) {
            task.finish(TaskState.FAILED, null, e);
            return;
        }
        task.launch(TaskState.PENDING, choose(task.candidates));
    }

    void memoize(Task task, Object result) {
        if (task.spec.cache() && config.appCache()) {
            memo.store(task, result);
        }
    }

    void relaunch(Task task, TaskState from) {
        task.launch(from, choose(task.candidates));
    }

    private static RunningExecutor choose(RunningExecutor[] candidates) {
        return candidates.length == 1 ? candidates[0] : candidates[ThreadLocalRandom.current().nextInt(candidates.length)];
    }

    // --- join apps

    void join(Task task, Object result) {
        TaskState from = task.state();
        if (from.isFinal() || !task.transition(from, TaskState.JOINING)) {
            return;
        }
        List<Future<?>> inner;
        if (result instanceof Future<?> f) {
            inner = List.of(f);
        } else if (result instanceof Collection<?> c) {
            inner = dependencies(new Object[] {c});
            if (inner == null) {
                task.finish(TaskState.EXEC_DONE, result, null);
                return;
            }
        } else {
            task.finish(TaskState.EXEC_DONE, result, null);
            return;
        }
        AtomicInteger missing = new AtomicInteger(inner.size());
        Runnable arrived = () -> {
            if (missing.decrementAndGet() == 0) {
                Trampoline.run(() -> finishJoin(task, result, inner));
            }
        };
        for (Future<?> f : inner) {
            onDone(f, arrived);
        }
    }

    private void finishJoin(Task task, Object result, List<Future<?>> inner) {
        DependencyError failed = failedDependencies(task, inner);
        if (failed != null) {
            task.finish(TaskState.FAILED, null, failed);
        } else {
            task.finish(TaskState.EXEC_DONE, resolve(result, true), null);
        }
    }

    // --- events

    void stateChanged(Task task, TaskState from, TaskState to) {
        counters.moved(to);
        TaskListener[] ls = listeners;
        for (TaskListener l : ls) {
            try {
                l.stateChanged(task, from, to);
            } catch (RuntimeException e) {
                log.warn("task listener {} failed on {} {} -> {}", l, task, from, to, e);
            }
        }
    }

    void tryEnded(Task task, TaskTry attempt) {
        TaskListener[] ls = listeners;
        for (TaskListener l : ls) {
            try {
                l.tryEnded(task, attempt);
            } catch (RuntimeException e) {
                log.warn("task listener {} failed on the end of {}", l, attempt, e);
            }
        }
    }

    /** The task's future has completed: its record goes at a later sweep (nothing to do here but, now and then, that sweep). */
    void forget(Task task) {
        tasks.sweepSoon(task);
    }

    /** A task holding an admission permit is final: room for one more. */
    void released() {
        admission.release();
    }

    Walltimes walltimes() {
        return walltimes;
    }

    /**
     * Submitters blocked now because this DataFlowKernel holds {@code Config.maxTasksInFlight}
     * unfinished tasks (an estimate, for monitoring).
     *
     * @return the count
     */
    public int submittersWaiting() {
        return admission.waiting();
    }

    // --- bodies of executors that do not report their end (see RunningExecutor.reportsBodyEnds)

    void unreportedBodyStarted(Task.Attempt attempt) {
        unreportedBodies.add(attempt);
    }

    void unreportedBodyEnded(Task.Attempt attempt) {
        unreportedBodies.remove(attempt);
    }

    /** The fallback for an executor that does not report body ends: once it is stopped, its bodies count as ended. */
    private void endUnreportedBodies(RunningExecutor stopped) {
        for (Task.Attempt a : unreportedBodies) {
            if (a.executor() == stopped) {
                a.endBody();
            }
        }
    }

    // --- tasks by owner (pools)

    /**
     * The futures of the unfinished tasks submitted with this owner (see {@link TaskSpec#owner()};
     * compared by identity). A snapshot: tasks may finish or be submitted meanwhile.
     *
     * @param owner the owner, e.g. a pool's {@link TaskGroup}
     * @return a new list, in no particular order
     */
    public List<AppFuture<?>> unfinishedTasks(Object owner) {
        List<AppFuture<?>> list = new ArrayList<>();
        for (Task t : tasks.snapshot()) {
            if (t.spec.owner() == owner) {
                list.add(t.future);
            }
        }
        return list;
    }

    /**
     * Whether a task submitted with this owner (compared by identity) is not yet final. A snapshot;
     * a body still running after its task was cancelled does not count (a {@link TaskGroup} does).
     *
     * @param owner the owner
     * @return whether one is unfinished now
     */
    public boolean hasUnfinishedTasks(Object owner) {
        for (Task t : tasks.snapshot()) {
            if (t.spec.owner() == owner) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cancels the owner's tasks that have not started (waiting for dependencies or queued on an
     * executor; newest first, so a dependent is cancelled itself rather than failed by its
     * dependency's cancellation) and returns, for each, a runnable that would run its function on
     * the calling thread (with its dependencies' values, waiting for them if needed). A task that
     * starts while this runs is left alone.
     *
     * @param owner the owner (compared by identity)
     * @return the runnables, in submission order
     */
    public List<Runnable> cancelNotStarted(Object owner) {
        List<Task> candidates = new ArrayList<>();
        for (Task t : tasks.snapshot()) {
            TaskState s = t.state();
            if (t.spec.owner() == owner && (s == TaskState.PENDING || s == TaskState.LAUNCHED)) {
                candidates.add(t);
            }
        }
        // Newest first: a dependent always has a larger id than its dependencies, so it is cancelled
        // itself rather than failed with DependencyError by its dependency's cancellation.
        candidates.sort((a, b) -> Long.compare(b.id(), a.id()));
        List<Runnable> list = new ArrayList<>();
        for (Task t : candidates) {
            if (t.cancel(false)) {
                list.add(new NotStartedTask(t.id(), t.spec));
            }
        }
        Collections.reverse(list); // in submission order
        return list;
    }

    private record NotStartedTask(long id, TaskSpec spec) implements Runnable {
        @Override
        public void run() {
            Object[] args = spec.args();
            Object[] resolved = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                resolved[i] = resolve(args[i], true);
            }
            try {
                spec.binder().bind(resolved).call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }

        @Override
        public String toString() {
            return "task " + id + " (" + spec.functionName() + "), cancelled before it started";
        }
    }

    // --- lifecycle

    /**
     * Blocks until every task submitted before the call is final (tasks submitted meanwhile may
     * still run). Task failures are not thrown here; read them from the futures. A cancelled task
     * is final at once, even if its body is still running.
     *
     * <p>Memory consistency effects: the completion of each of those tasks' futures happens-before
     * this method returns.
     *
     * @throws CancellationException if the calling thread is interrupted while waiting (its
     *         interrupt status is set again)
     */
    public void waitForCurrentTasks() {
        for (Task t : tasks.snapshot()) {
            try {
                t.future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for tasks");
            } catch (ExecutionException | CancellationException e) {
                // a failed or cancelled task is final too
            }
        }
    }

    /**
     * Counts of tasks per state, every state present: the non-final states count the tasks in them
     * now; the final states count every task that reached them since this DataFlowKernel started.
     * A snapshot: the final states are counters; the non-final ones come from one pass over the
     * unfinished tasks' records (new submissions wait for that pass, a task's progress does not).
     * Counts of tasks moving meanwhile may be off by those tasks.
     *
     * @return a new map with every {@link TaskState} as a key
     */
    public Map<TaskState, Long> taskStateCounts() {
        return counters.snapshot();
    }

    /**
     * The count of one state, as in {@link #taskStateCounts()}.
     *
     * @param state the state
     * @return its count now
     * @throws NullPointerException if state is null
     */
    public long taskStateCount(TaskState state) {
        return counters.get(state);
    }

    /**
     * Waits for every submitted task (including tasks submitted while it waits) to be final, then
     * {@link #cleanup()}s. Executors are told first ({@code RunningExecutor.draining()}), so that
     * elastic ones stop scaling out while their running tasks finish. Idempotent; returns at once if cleanup has begun. A task whose future is
     * final counts as finished even if its body still runs (e.g. after {@code cancel(false)}):
     * cleanup then interrupts it. To wait for bodies too, submit through a
     * {@code ParslPoolExecutor} and await its termination first.
     *
     * @throws CancellationException if the calling thread is interrupted while waiting (its
     *         interrupt status is set again); nothing is cleaned up then
     */
    @Override
    public void close() {
        if (cleanedUp.get()) {
            return;
        }
        for (RunningExecutor e : allExecutors) {
            try {
                e.draining();
            } catch (RuntimeException ex) {
                log.warn("executor '{}' failed to start draining", e.label(), ex);
            }
        }
        while (!tasks.isEmpty() && !cleanedUp.get()) {
            waitForCurrentTasks();
        }
        cleanup();
    }

    /**
     * Stops now: new tasks are rejected, every task not yet final is cancelled (running local tasks
     * are interrupted; the callbacks of their futures run on this thread), and executors and their
     * providers are stopped. Idempotent, and does not wait for interrupted bodies to return.
     */
    public void cleanup() {
        closed = true;
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        admission.close(); // submitters waiting for room wake and are rejected
        walltimes.stop();
        int cancelled = 0;
        for (Task t : tasks.snapshot()) {
            if (t.cancel(true)) {
                cancelled++;
            }
        }
        for (RunningExecutor e : allExecutors) {
            stopQuietly(e);
            endUnreportedBodies(e);
        }
        synchronized (this) {
            if (joinExecutor != null) {
                stopQuietly(joinExecutor);
            }
        }
        ExecutorService w = futureWaiters;
        if (w != null) {
            w.shutdownNow();
        }
        log.info("DataFlowKernel {} stopped ({} unfinished tasks cancelled)", runId, cancelled);
    }

    private static void stopQuietly(RunningExecutor e) {
        try {
            e.shutdown();
        } catch (RuntimeException ex) {
            log.warn("executor '{}' failed to stop cleanly", e.label(), ex);
        }
    }

    private static Path makeRunDir(Path base) {
        try {
            Files.createDirectories(base);
            while (true) {
                int next;
                try (Stream<Path> list = Files.list(base)) {
                    next = list.map(p -> p.getFileName().toString())
                            .filter(n -> n.matches("\\d{3,}"))
                            .mapToInt(Integer::parseInt)
                            .max().orElse(-1) + 1;
                }
                try {
                    return Files.createDirectory(base.resolve(String.format("%03d", next)));
                } catch (FileAlreadyExistsException raced) {
                    // another DataFlowKernel took that number: look again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a run directory under " + base.toAbsolutePath()
                    + ": set Config.runDir to a writable directory", e);
        }
    }

    @Override
    public String toString() {
        return "DataFlowKernel[" + runId + ", executors=" + executors.keySet() + (closed ? ", closed" : "") + "]";
    }
}
