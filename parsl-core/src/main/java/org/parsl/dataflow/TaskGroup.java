package org.parsl.dataflow;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

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

    private final String name;
    /** Tasks not yet final, plus started bodies not yet ended, plus submissions in progress. */
    private final AtomicLong active = new AtomicLong();
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
        if (active.get() == 0) {
            terminated.complete(null);
        }
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
     * How many things the group is waiting for now: tasks not yet final plus bodies of tries still
     * running (a snapshot, for diagnostics).
     *
     * @return the count
     */
    public long active() {
        return active.get();
    }

    // --- kept by the DataFlowKernel

    /** A new task joins; {@code false} (and nothing counted) if the group is shut down. */
    boolean tryEnter() {
        active.incrementAndGet();
        if (shutdown) {
            exit();
            return false;
        }
        return true;
    }

    /** A body starts: counted unconditionally, as its task (already counted) holds the group open. */
    void enter() {
        active.incrementAndGet();
    }

    /** A task became final, or a body ended. */
    void exit() {
        if (active.decrementAndGet() == 0 && shutdown) {
            terminated.complete(null);
        }
    }

    RejectedExecutionException rejected() {
        return new RejectedExecutionException(name + " is shut down: it takes no new tasks");
    }

    @Override
    public String toString() {
        return "TaskGroup[" + name + ", active=" + active.get() + (terminated.isDone() ? ", terminated"
                : shutdown ? ", shut down" : "") + "]";
    }
}
