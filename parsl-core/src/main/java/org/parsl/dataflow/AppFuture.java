package org.parsl.dataflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The future of a task: completes when the task reaches a final state. A {@link CompletableFuture}
 * that only its DataFlowKernel can complete: {@code complete}, {@code completeExceptionally},
 * {@code obtrude*}, {@code orTimeout} and {@code completeOnTimeout} throw
 * {@link UnsupportedOperationException}; use {@link #toCompletableFuture()} for a copy you may
 * complete. Dependent stages ({@code thenApply}, ...) are plain {@code CompletableFuture}s.
 *
 * <p>The task's state is final, and listeners have seen it, before this future completes: when
 * {@code get()} returns, {@link #state()} is {@code EXEC_DONE}, {@code FAILED}, {@code DEP_FAIL},
 * {@code MEMO_DONE} or {@code CANCELLED}. A failed task completes it exceptionally with the task's
 * exception ({@code get()} throws {@code ExecutionException} with it as the cause).
 *
 * <p>{@link #cancel(boolean)} cancels the task: a task that has not started never runs (its dependents
 * fail with {@link DependencyError}); a running one is interrupted when {@code mayInterruptIfRunning}.
 * Callbacks registered on this future run on the thread that completes it (an executor's thread,
 * or the canceller's) unless an {@code *Async} variant is used.
 *
 * @param <T> the task's result type
 */
public class AppFuture<T> extends CompletableFuture<T> {

    private final long taskId;
    private volatile Task task;
    private volatile TaskState finalState;

    AppFuture(Task task) {
        this.taskId = task.id();
        this.task = task;
    }

    /** The task's id within its DataFlowKernel. */
    public long taskId() {
        return taskId;
    }

    /** The task's state now. */
    public TaskState state() {
        TaskState s = finalState;
        if (s != null) {
            return s;
        }
        Task t = task;
        return t == null ? finalState : t.state();
    }

    /** The task's record while it runs; {@code null} once it is final (records of finished tasks are forgotten). */
    Task task() {
        return task;
    }

    /**
     * Cancels the task (see the class description).
     *
     * @return {@code true} if this call cancelled it; {@code false} if it was already final
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        Task t = task;
        if (t != null && t.cancel(mayInterruptIfRunning)) {
            return true;
        }
        return isCancelled();
    }

    /** A new {@code CompletableFuture} completed with this future's outcome, which the caller may complete. */
    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return copy();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    // --- completion by the DataFlowKernel only

    void finish(TaskState state, Object value, Throwable failure) {
        finalState = state;
        task = null;
        if (state == TaskState.CANCELLED) {
            super.cancel(false);
        } else if (failure != null) {
            super.completeExceptionally(failure);
        } else {
            @SuppressWarnings("unchecked")
            T v = (T) value;
            super.complete(v);
        }
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException(
                "an AppFuture is completed by its DataFlowKernel only; use toCompletableFuture() for a copy you can complete");
    }

    @Override
    public boolean complete(T value) {
        throw readOnly();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw readOnly();
    }

    @Override
    public void obtrudeValue(T value) {
        throw readOnly();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        throw readOnly();
    }

    @Override
    public String toString() {
        return "AppFuture[task " + taskId + ", " + state() + "]";
    }
}
