package org.parsl.dataflow;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The tasks submitted with one owner (a {@code ParslPoolExecutor}), tracked as
 * {@code ExecutorService} tracks its tasks: the group can be shut down to new tasks, and it terminates
 * once it is shut down and all its tasks have <em>completed execution</em> — each has reached a final
 * state, and the body of each of its tries that started has returned (a cancelled task's body may go
 * on running after its future was cancelled, and until it returns the group is not terminated).
 *
 * <p>A task joins the group by naming it as the owner of its {@link TaskSpec}; the DataFlowKernel
 * keeps the count. What counts as a body's end is what the executor reports through
 * {@code ExecutorTask.bodyEnded()} (see {@code RunningExecutor.reportsBodyEnds()} for executors that
 * do not report it).
 *
 * <p>Thread safety: every method may be called from any thread. Memory consistency effects: actions in
 * a task's body (on a local executor) and in the thread that completed its future happen-before the
 * group's {@link #termination()} completes, and so before {@link #isTerminated()} returns
 * {@code true}.
 */
public final class TaskGroup {

    /*
     * How the count works. A task enters the group once, when it is submitted, and leaves it once,
     * when it has completed execution: its task record holds it in the group until it is final and
     * until each of its started bodies has ended (Task counts those itself, on its own record, so
     * the group sees two updates per task instead of one per event).
     *
     * Entries and exits are two monotonic counts rather than one up-down counter, because they are
     * written by different threads: `entered` by submitting threads (alone on its cache line), `exited`
     * by the threads that end tasks (executor threads). A shared counter would move its cache line
     * between the submitter and the workers twice per task.
     *
     * Termination: the group has terminated once it is shut down and exited == entered. Whoever
     * checks reads `exited` first and `entered` second. The sum of `exited` lies between its values at
     * the start and at the end of the sum (its cells only grow), and every exit follows its entry, so
     * entered(second read) >= entered(end of the sum) >= exited(end of the sum) >= the sum; equality
     * means nothing was inside at the end of the sum and nothing entered until the second read. An entry after the
     * second read sees `shutdown` (written before either read) and takes itself back. The last exit
     * and shutdown() cannot both miss the end: each writes (its exit, the flag) before it reads (the
     * flag, the counts), so at least one of them sees the other's write.
     */

    private final String name;
    /** Tasks that entered, ever; written by submitting threads. */
    private final PaddedLong entered = new PaddedLong();
    /** Tasks that left (completed execution, or took a rejected entry back), ever; written by the threads that end tasks. */
    private final StripedCount exited = new StripedCount();
    private volatile boolean shutdown;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /**
     * An open group with no tasks.
     *
     * @param name what the group is, for messages (e.g. the pool's description)
     * @throws NullPointerException if name is null
     */
    public TaskGroup(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Closes the group to new tasks: a later submission naming it is rejected. Tasks already in the
     * group run to their end; nothing is cancelled or interrupted. Idempotent.
     */
    public void shutdown() {
        shutdown = true;
        checkTerminated();
    }

    /**
     * Whether {@link #shutdown()} was called.
     *
     * @return {@code true} once the group takes no new tasks
     */
    public boolean isShutdown() {
        return shutdown;
    }

    /**
     * Whether the group is shut down and every task of it has completed execution (see the class
     * description).
     *
     * @return whether it has terminated
     */
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /**
     * A stage that completes (normally, with {@code null}) when the group terminates. Actions
     * depending on it run on the thread that ended the last task or body — often an executor's
     * thread, so they must be quick — or on the caller's thread if the group has terminated already.
     *
     * @return a stage the caller cannot complete
     */
    public CompletionStage<Void> termination() {
        return terminated.minimalCompletionStage();
    }

    /**
     * How many of the group's tasks have not completed execution now: tasks not yet final, and final
     * tasks with a started body still running (a snapshot, for diagnostics).
     *
     * @return the count
     */
    public long active() {
        long out = exited.sum(); // first: see the class's overview comment
        return entered.get() - out;
    }

    // --- kept by the DataFlowKernel

    /** A new task joins; {@code false} (and nothing counted) if the group is shut down. */
    boolean tryEnter() {
        if (shutdown) {
            return false;
        }
        entered.incrementAndGet();
        if (shutdown) {
            exit();
            return false;
        }
        return true;
    }

    /** A task has completed execution (or an entry is taken back): called once per successful {@link #tryEnter()}. */
    void exit() {
        exited.increment();
        if (shutdown) {
            checkTerminated();
        }
    }

    private void checkTerminated() {
        long out = exited.sum(); // exits first, then entries: see the class's overview comment
        if (entered.get() == out) {
            terminated.complete(null);
        }
    }

    RejectedExecutionException rejected() {
        return new RejectedExecutionException(name + " is shut down: it takes no new tasks");
    }

    @Override
    public String toString() {
        return "TaskGroup[" + name + ", active=" + active() + (terminated.isDone() ? ", terminated"
                : shutdown ? ", shut down" : "") + "]";
    }
}
