package org.parsl.dataflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

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
    private static final VarHandle HOLDS;
    private static final VarHandle EXECUTOR;
    private static final VarHandle CURRENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Task.class, "state", TaskState.class);
            HOLDS = lookup.findVarHandle(Task.class, "holds", int.class);
            EXECUTOR = lookup.findVarHandle(Task.class, "executor", String.class);
            CURRENT = lookup.findVarHandle(Task.class, "current", Attempt.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DataFlowKernel dfk;
    private final long id;
    final TaskSpec spec;
    final RunningExecutor[] candidates;
    final AppFuture<Object> future;
    /** The owner's group, or null: counts this task until it has completed execution (see {@link #holds}). */
    final TaskGroup group;
    /**
     * In a group only: what keeps this task in its group — 1 until the task is final, plus 1 per
     * started body that has not ended. The task leaves the group when it drops to 0, and no body may
     * start after that. Kept here, on the task's own record, so that the group's shared count changes
     * once per task rather than at every start and end.
     */
    @SuppressWarnings("unused") // accessed through HOLDS
    private volatile int holds;

    /*
     * The fields below are volatile for their readers on other threads, but the submitting thread
     * writes them with plain or release stores where that is enough: a volatile store is a full
     * fence, which on the submitting thread (the bottleneck of a flood of small tasks) waits for the
     * stores that initialized the task's new objects. A task reaches other threads only through
     * synchronized hand-overs (the executor's queue, the registry's lock, the future), which publish
     * the plain initial values; the release stores are followed by a compare-and-set of the state.
     */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile TaskState state;
    private volatile String executor;
    /** The ended tries; null until the first ends (read through {@link #endedTries()}). */
    private volatile List<TaskTry> tries;
    private volatile Attempt current;
    private double failCost;
    /** The arguments with futures replaced by values; set once dependencies are resolved. */
    Object[] resolvedArgs;
    TaskCallable<?> body;
    /** Whether this task holds one of its DataFlowKernel's admission permits (given back when it is final). */
    boolean holdsPermit;

    /** A task; if {@code group} is not null, it has already counted this task ({@link TaskGroup#tryEnter()}). */
    Task(DataFlowKernel dfk, long id, TaskSpec spec, RunningExecutor[] candidates, TaskGroup group) {
        this.dfk = dfk;
        this.id = id;
        this.spec = spec;
        this.candidates = candidates;
        this.group = group;
        STATE.set(this, TaskState.PENDING); // published with the task, see the note on the fields
        this.future = new AppFuture<>(this);
        if (group != null) {
            HOLDS.set(this, 1);
        }
    }

    @Override
    public long id() {
        return id;
    }

    DataFlowKernel dfk() {
        return dfk;
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
        List<TaskTry> ended = endedTries();
        Attempt a = current;
        if (a == null || a.isEnded()) {
            return ended;
        }
        List<TaskTry> all = new ArrayList<>(ended);
        all.add(a.snapshot(0, null));
        return Collections.unmodifiableList(all);
    }

    private List<TaskTry> endedTries() {
        List<TaskTry> ended = tries;
        return ended == null ? List.of() : ended;
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
        if (holdsPermit) {
            dfk.released(); // first: a submitter waiting for room may go on while callbacks run
        }
        Admission.enterTaskThread(); // callbacks and listeners that submit here never wait for room
        try {
            dfk.stateChanged(this, from, to);
            dfk.forget(this);
            future.finish(to, value, failure);
        } finally {
            Admission.leaveTaskThread();
        }
        if (group != null) {
            releaseHold(); // after the future: a terminated group has only completed futures
        }
        return from;
    }

    /** A body is about to start (in a group only); {@code false} if the task has left its group already. */
    boolean holdForBody() {
        int h;
        do {
            h = (int) HOLDS.getVolatile(this);
            if (h == 0) {
                return false;
            }
        } while (!HOLDS.compareAndSet(this, h, h + 1));
        return true;
    }

    /** The task became final, or one of its started bodies ended (in a group only). */
    void releaseHold() {
        if ((int) HOLDS.getAndAdd(this, -1) == 1) {
            group.exit();
        }
    }

    boolean cancel(boolean mayInterruptIfRunning) {
        Attempt a = current;
        TaskState from = finish(TaskState.CANCELLED, null, null);
        if (from == null) {
            return false;
        }
        if (a != null && (from == TaskState.LAUNCHED || from == TaskState.RUNNING)) {
            a.cancel(mayInterruptIfRunning);
            a.abandoned();
        }
        return true;
    }

    /** Starts a new try on the given executor; the task must be in {@code from}. */
    void launch(TaskState from, RunningExecutor on) {
        Attempt a = new Attempt(this, endedTries().size(), on);
        EXECUTOR.setRelease(this, on.label()); // ordered before the state's compare-and-set below
        CURRENT.setRelease(this, a);
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
        if (state() == TaskState.CANCELLED || a.timedOut) {
            handle.cancel(true); // cancel or walltime raced with the hand-over and saw no handle yet
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
        if (list == null || list.isEmpty()) {
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
        private static final VarHandle BODY;
        private static final int NOT_STARTED = 0;
        private static final int RUNNING = 1;
        private static final int BODY_ENDED = 2;

        static {
            try {
                ENDED = MethodHandles.lookup().findVarHandle(Attempt.class, "ended", boolean.class);
                BODY = MethodHandles.lookup().findVarHandle(Attempt.class, "bodyState", int.class);
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
        /** NOT_STARTED, RUNNING (markRunning is under way or returned true), BODY_ENDED; tracked only in a group. */
        @SuppressWarnings("unused") // accessed through BODY
        private volatile int bodyState;
        volatile TaskHandle handle;
        /** The walltime timer, once the try runs (tasks with a walltime only). */
        private volatile ScheduledFuture<?> timer;
        /** The walltime expired: the try was failed and its handle cancelled. */
        volatile boolean timedOut;
        /** The local thread that runs this try's body, while it counts as a task thread for admission. */
        private Thread bodyThread;

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
            if (started(worker)) {
                startTimer();
                if (worker == null) {
                    bodyThread = Thread.currentThread(); // a local body: it must not wait for room when it submits
                    Admission.enterTaskThread();
                }
                return true;
            }
            return false;
        }

        private boolean started(String worker) {
            this.worker = worker;
            this.startedNanos = System.nanoTime();
            TaskGroup group = task.group;
            if (group == null) {
                return task.attemptRunning(this);
            }
            // Count the body before the task can be seen RUNNING, so that a cancel racing with the start
            // never lets the group terminate while this body is about to run.
            if (!BODY.compareAndSet(this, NOT_STARTED, RUNNING)) {
                return false; // a second markRunning: the executor must not run the body twice
            }
            if (!task.holdForBody()) {
                BODY.setVolatile(this, BODY_ENDED); // the task is final and out of its group: never run
                return false;
            }
            if (!executor.reportsBodyEnds()) {
                task.dfk().unreportedBodyStarted(this);
            }
            if (task.attemptRunning(this)) {
                return true;
            }
            endBody(); // cancelled meanwhile: the body never runs
            return false;
        }

        private void startTimer() {
            Duration walltime = task.spec.walltime();
            if (walltime != null) {
                timer = task.dfk().walltimes().schedule(walltime, this::walltimeExpired);
                if (ended) {
                    stopTimer(); // the outcome came before the timer was set
                }
            }
        }

        private void stopTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }

        /** On the walltime thread: cancel the try's handle with interruption, then fail the try (retries apply). */
        private void walltimeExpired() {
            // Claim the outcome first, so that what the interrupted body reports (an InterruptedException)
            // is ignored; then cancel the handle before the retry's launch supersedes this try on its
            // executor, after which cancelling it would no longer reach the running body.
            if (!ENDED.compareAndSet(this, false, true)) {
                return;
            }
            timedOut = true;
            TaskHandle h = handle;
            if (h != null) {
                h.cancel(true);
            }
            task.attemptFailed(this, new WalltimeExceeded(task.id, task.spec.functionName(), task.spec.walltime()));
            if (!executor.reportsBodyEnds()) {
                endBody();
            }
        }

        /** A local body's outcome or end on its own thread: it no longer counts as a task thread. */
        private void leaveBodyThread() {
            if (bodyThread == Thread.currentThread()) {
                bodyThread = null;
                Admission.leaveTaskThread();
            }
        }

        @Override
        public void succeeded(Object result) {
            if (ENDED.compareAndSet(this, false, true)) {
                stopTimer();
                task.attemptSucceeded(this, result);
            }
            if (!executor.reportsBodyEnds()) {
                endBody();
            }
            leaveBodyThread();
        }

        @Override
        public void failed(Throwable failure) {
            if (ENDED.compareAndSet(this, false, true)) {
                stopTimer();
                task.attemptFailed(this, failure == null ? new NullPointerException("failure") : failure);
            }
            if (!executor.reportsBodyEnds()) {
                endBody();
            }
            leaveBodyThread();
        }

        @Override
        public void bodyEnded() {
            endBody();
            leaveBodyThread();
        }

        /** The task was cancelled while this try was queued or running. */
        void abandoned() {
            stopTimer();
            if (!executor.reportsBodyEnds()) {
                endBody(); // the fallback: such an executor will not tell us when the body returns
            }
        }

        /** The executor this try was handed to. */
        RunningExecutor executor() {
            return executor;
        }

        /** Counts this try's body as ended in its group; only the first call after a start counts. */
        void endBody() {
            if (BODY.compareAndSet(this, RUNNING, BODY_ENDED)) {
                if (!executor.reportsBodyEnds()) {
                    task.dfk().unreportedBodyEnded(this);
                }
                task.releaseHold();
            }
        }

        @Override
        public String toString() {
            return "try " + number + " of " + task;
        }
    }
}
