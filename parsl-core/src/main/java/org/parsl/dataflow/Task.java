package org.parsl.dataflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.parsl.app.TaskCallable;
import org.parsl.executors.ExecutorTask;
import org.parsl.executors.RunningExecutor;
import org.parsl.executors.TaskHandle;

/**
 * A task's record inside its DataFlowKernel: its state machine, tries and failure cost. State changes
 * are compare-and-set, so cancellation, completion and retries race safely: exactly one of them
 * moves the task to a final state, and only that one completes the future.
 */
final class Task implements TaskRecord {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", TaskState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DataFlowKernel dfk;
    private final long id;
    final TaskSpec spec;
    final RunningExecutor[] candidates;
    final AppFuture<Object> future;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile TaskState state = TaskState.PENDING;
    private volatile String executor;
    private volatile List<TaskTry> tries = List.of();
    private volatile Attempt current;
    private double failCost;
    /** The arguments with futures replaced by values; set once dependencies are resolved. */
    Object[] resolvedArgs;
    TaskCallable<?> body;

    Task(DataFlowKernel dfk, long id, TaskSpec spec, RunningExecutor[] candidates) {
        this.dfk = dfk;
        this.id = id;
        this.spec = spec;
        this.candidates = candidates;
        this.future = new AppFuture<>(this);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String functionName() {
        return spec.functionName();
    }

    @Override
    public String executor() {
        return executor;
    }

    @Override
    public TaskState state() {
        return (TaskState) STATE.getVolatile(this);
    }

    @Override
    public List<TaskTry> tries() {
        List<TaskTry> ended = tries;
        Attempt a = current;
        if (a == null || a.isEnded()) {
            return ended;
        }
        List<TaskTry> all = new ArrayList<>(ended);
        all.add(a.snapshot(0, null));
        return Collections.unmodifiableList(all);
    }

    @Override
    public String toString() {
        return "task " + id + " (" + spec.functionName() + ", " + state() + ")";
    }

    /** Moves between two non-final states; false if the task is not in {@code from} (e.g. cancelled). */
    boolean transition(TaskState from, TaskState to) {
        if (STATE.compareAndSet(this, from, to)) {
            dfk.stateChanged(this, from, to);
            return true;
        }
        return false;
    }

    /**
     * Moves to a final state from whatever non-final state the task is in, then completes its future.
     *
     * @return the state it left, or {@code null} if it was already final (nothing done)
     */
    TaskState finish(TaskState to, Object value, Throwable failure) {
        TaskState from;
        do {
            from = state();
            if (from.isFinal()) {
                return null;
            }
        } while (!STATE.compareAndSet(this, from, to));
        resolvedArgs = null;
        body = null;
        dfk.stateChanged(this, from, to);
        dfk.forget(this);
        future.finish(to, value, failure);
        return from;
    }

    boolean cancel(boolean mayInterruptIfRunning) {
        Attempt a = current;
        TaskState from = finish(TaskState.CANCELLED, null, null);
        if (from == null) {
            return false;
        }
        if (a != null && (from == TaskState.LAUNCHED || from == TaskState.RUNNING)) {
            a.cancel(mayInterruptIfRunning);
        }
        return true;
    }

    /** Starts a new try on the given executor; the task must be in {@code from}. */
    void launch(TaskState from, RunningExecutor on) {
        Attempt a = new Attempt(this, tries.size(), on);
        executor = on.label();
        current = a;
        if (!transition(from, TaskState.LAUNCHED)) {
            return; // cancelled meanwhile
        }
        TaskHandle handle;
        try {
            handle = on.submit(a);
        } catch (RuntimeException e) {
            a.failed(e);
            return;
        }
        a.handle = handle;
        if (state() == TaskState.CANCELLED) {
            handle.cancel(true); // cancel raced with the hand-over and saw no handle yet
        }
    }

    // --- reports from an attempt

    boolean attemptRunning(Attempt a) {
        return current == a && transition(TaskState.LAUNCHED, TaskState.RUNNING);
    }

    void attemptSucceeded(Attempt a, Object result) {
        TaskTry t = a.snapshot(System.nanoTime(), null);
        tries = append(tries, t);
        dfk.tryEnded(this, t);
        if (spec.join()) {
            dfk.join(this, result);
        } else {
            if (spec.cache()) {
                dfk.memoize(this, result); // before the future completes, so a caller's next call hits it
            }
            finish(TaskState.EXEC_DONE, result, null);
        }
    }

    void attemptFailed(Attempt a, Throwable failure) {
        TaskTry t = a.snapshot(System.nanoTime(), failure);
        tries = append(tries, t);
        dfk.tryEnded(this, t);
        double cost;
        try {
            cost = dfk.config().retryHandler().cost(failure, this);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            cost = Double.POSITIVE_INFINITY;
        }
        failCost += cost;
        TaskState s = state();
        if (failCost <= dfk.config().retries() && !s.isFinal() && !dfk.isClosed()) {
            dfk.relaunch(this, s);
        } else {
            finish(TaskState.FAILED, null, failure);
        }
    }

    private static List<TaskTry> append(List<TaskTry> list, TaskTry t) {
        if (list.isEmpty()) {
            return List.of(t);
        }
        List<TaskTry> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(t);
        return Collections.unmodifiableList(copy);
    }

    /** One try, as the executor sees it. Reports after the first outcome are ignored. */
    static final class Attempt implements ExecutorTask {

        private static final VarHandle ENDED;

        static {
            try {
                ENDED = MethodHandles.lookup().findVarHandle(Attempt.class, "ended", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Task task;
        private final int number;
        private final RunningExecutor executor;
        private final TaskCallable<?> body;
        private final long launchedNanos = System.nanoTime();
        private volatile long startedNanos;
        private volatile String worker;
        @SuppressWarnings("unused") // accessed through ENDED
        private volatile boolean ended;
        volatile TaskHandle handle;

        Attempt(Task task, int number, RunningExecutor executor) {
            this.task = task;
            this.number = number;
            this.executor = executor;
            this.body = task.body;
        }

        boolean isEnded() {
            return ended;
        }

        TaskTry snapshot(long endedNanos, Throwable failure) {
            return new TaskTry(number, executor.label(), worker, launchedNanos, startedNanos, endedNanos, failure);
        }

        void cancel(boolean mayInterrupt) {
            TaskHandle h = handle;
            if (h != null) {
                h.cancel(mayInterrupt);
            }
        }

        @Override
        public long taskId() {
            return task.id;
        }

        @Override
        public int tryNumber() {
            return number;
        }

        @Override
        public String functionName() {
            return task.spec.functionName();
        }

        @Override
        public TaskCallable<?> body() {
            return body;
        }

        @Override
        public boolean markRunning(String worker) {
            this.worker = worker;
            this.startedNanos = System.nanoTime();
            return task.attemptRunning(this);
        }

        @Override
        public void succeeded(Object result) {
            if (ENDED.compareAndSet(this, false, true)) {
                task.attemptSucceeded(this, result);
            }
        }

        @Override
        public void failed(Throwable failure) {
            if (ENDED.compareAndSet(this, false, true)) {
                task.attemptFailed(this, failure == null ? new NullPointerException("failure") : failure);
            }
        }

        @Override
        public String toString() {
            return "try " + number + " of " + task;
        }
    }
}
