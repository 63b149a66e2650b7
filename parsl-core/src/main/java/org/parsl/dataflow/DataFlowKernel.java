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
 * <p>Concurrency: every method may be called from any thread. Submission never blocks. A task is
 * launched on the thread that completes its last dependency (or the submitting thread if it has
 * none): there is no thread per waiting task. Records of finished tasks are forgotten, so memory is
 * bounded by the tasks in flight; {@link #taskStateCounts()} keeps cumulative counts of final states.
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
    private final RunningExecutor joinExecutor;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Task> tasks = new ConcurrentHashMap<>();
    private final StateCounters counters = new StateCounters();
    private final Memoizer memo = new Memoizer();
    private volatile TaskListener[] listeners = new TaskListener[0];
    private volatile boolean closed;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile ExecutorService futureWaiters;

    private DataFlowKernel(Config config) {
        this.config = config;
        this.runId = UUID.randomUUID().toString();
        this.runDir = makeRunDir(config.runDir());
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
        this.joinExecutor = new ThreadPoolExecutor(JOIN_EXECUTOR, Math.max(4, Runtime.getRuntime().availableProcessors()))
                .start(context);
        log.info("DataFlowKernel {} started in {} with executors {}", runId, runDir, executors.keySet());
    }

    /**
     * Starts a new DataFlowKernel for the config: makes its run directory and starts its executors.
     * {@code Parsl.load(config)} is the usual way to call it.
     *
     * @throws IllegalArgumentException if config is null
     */
    public static DataFlowKernel start(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("config is null: pass a Config built with Config.builder()");
        }
        return new DataFlowKernel(config);
    }

    /** The config this DataFlowKernel was loaded from. */
    public Config config() {
        return config;
    }

    /** The labels of the configured executors, in config order. */
    public Set<String> executorLabels() {
        return executors.keySet();
    }

    /** This run's own directory ({@code <runDir>/NNN}). */
    public Path runDir() {
        return runDir;
    }

    /** This run's unique id. */
    public String runId() {
        return runId;
    }

    /** Whether {@link #close()} finished or {@link #cleanup()} was called: new tasks are rejected. */
    public boolean isClosed() {
        return closed;
    }

    /** The status of every configured executor, in config order. */
    public List<ExecutorStatus> executorStatuses() {
        List<ExecutorStatus> list = new ArrayList<>(allExecutors.length);
        for (RunningExecutor e : allExecutors) {
            list.add(e.status());
        }
        return list;
    }

    /** Tasks submitted and not yet final (the records the DataFlowKernel holds). */
    public int tasksInFlight() {
        return tasks.size();
    }

    /** Adds a listener of task events (see {@link TaskListener} for threading). */
    public synchronized void addListener(TaskListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is null");
        }
        TaskListener[] old = listeners;
        TaskListener[] copy = java.util.Arrays.copyOf(old, old.length + 1);
        copy[old.length] = listener;
        listeners = copy;
    }

    /** Removes a listener added before; no effect if it was not added. */
    public synchronized void removeListener(TaskListener listener) {
        List<TaskListener> list = new ArrayList<>(List.of(listeners));
        list.remove(listener);
        listeners = list.toArray(new TaskListener[0]);
    }

    /**
     * Submits a task. Apps ({@code App}, {@code ParslPoolExecutor}) call this; it returns at once.
     *
     * @throws RejectedExecutionException after {@link #close()} or {@link #cleanup()}
     * @throws IllegalArgumentException if the spec names an executor that is not configured, or a
     *         distributed executor cannot take the function (e.g. not serializable)
     */
    @SuppressWarnings("unchecked")
    public <R> AppFuture<R> submit(TaskSpec spec) {
        if (closed) {
            throw rejected();
        }
        RunningExecutor[] candidates = spec.join() ? new RunningExecutor[] {joinExecutor} : candidates(spec.executors());
        for (RunningExecutor e : candidates) {
            e.checkSubmittable(spec.function());
        }
        Task task = new Task(this, ids.incrementAndGet(), spec, candidates);
        tasks.put(task.id(), task);
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

    /** The message for an executor label that is not configured, naming the configured ones. */
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
        counters.moved(from, to);
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

    void forget(Task task) {
        tasks.remove(task.id());
    }

    // --- tasks by owner (pools)

    /** The futures of the unfinished tasks submitted with this owner (see {@link TaskSpec#owner()}). */
    public List<AppFuture<?>> unfinishedTasks(Object owner) {
        List<AppFuture<?>> list = new ArrayList<>();
        for (Task t : tasks.values()) {
            if (t.spec.owner() == owner) {
                list.add(t.future);
            }
        }
        return list;
    }

    /** Whether a task submitted with this owner is unfinished. */
    public boolean hasUnfinishedTasks(Object owner) {
        for (Task t : tasks.values()) {
            if (t.spec.owner() == owner) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cancels the owner's tasks that have not started (waiting for dependencies or queued on an
     * executor) and returns, for each, a runnable that would run its function on the calling
     * thread (with its dependencies' values, waiting for them if needed).
     */
    public List<Runnable> cancelNotStarted(Object owner) {
        List<Task> candidates = new ArrayList<>();
        for (Task t : tasks.values()) {
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
     * still run). Task failures are not thrown here; read them from the futures.
     */
    public void waitForCurrentTasks() {
        for (Task t : tasks.values().toArray(new Task[0])) {
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
     * A snapshot taken without locking: counts of concurrent transitions may be off by one.
     */
    public Map<TaskState, Long> taskStateCounts() {
        return counters.snapshot();
    }

    /** The count of one state, as in {@link #taskStateCounts()}. */
    public long taskStateCount(TaskState state) {
        return counters.get(state);
    }

    /**
     * Waits for every submitted task (including tasks submitted while it waits) to finish, then
     * {@link #cleanup()}s. Idempotent.
     */
    @Override
    public void close() {
        if (cleanedUp.get()) {
            return;
        }
        while (!tasks.isEmpty() && !cleanedUp.get()) {
            waitForCurrentTasks();
        }
        cleanup();
    }

    /**
     * Stops now: new tasks are rejected, every task not yet final is cancelled (running local tasks
     * are interrupted), and executors and their providers are stopped. Idempotent.
     */
    public void cleanup() {
        closed = true;
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        int cancelled = 0;
        for (Task t : tasks.values().toArray(new Task[0])) {
            if (t.cancel(true)) {
                cancelled++;
            }
        }
        for (RunningExecutor e : allExecutors) {
            stopQuietly(e);
        }
        stopQuietly(joinExecutor);
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
