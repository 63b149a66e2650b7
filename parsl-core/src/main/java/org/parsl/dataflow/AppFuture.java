package org.parsl.dataflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The future of a task: completes when the task reaches a final state. A {@link CompletableFuture}
 * that only its DataFlowKernel can complete: {@code complete}, {@code completeExceptionally},
 * {@code obtrude*}, {@code completeAsync}, {@code orTimeout} and {@code completeOnTimeout} throw
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
 * The future is cancelled at once, but a running body may go on until it returns (with
 * {@code cancel(false)}, or if it ignores the interrupt): its result is then discarded. A
 * {@code ParslPoolExecutor}'s termination waits for such bodies; this future does not.
 *
 * <p>Threads: callbacks registered on this future ({@code thenApply}, {@code whenComplete}, ...), and
 * the launch of tasks that depend on it, run on the thread that completes it — a local executor's
 * thread that ran the body, a distributed executor's result thread, the thread that cancelled the task,
 * or the thread that completed a failed dependency — or, if it is complete already, on the thread that
 * registers them; {@code *Async} variants without an executor run on the common pool. Callbacks must
 * therefore be quick, or use an {@code *Async} variant.
 *
 * <p>Memory consistency effects: the actions of the task's body (on a local executor; a distributed
 * executor delivers a deserialized copy of the result) and of the thread that completed the future
 * happen-before a {@code get()}, {@code join()} or callback that sees the completion.
 *
 * @param <T> the task's result type
 */
public class AppFuture<T> extends CompletableFuture<T> {

    private static final VarHandle TASK;
    private static final VarHandle FINAL_STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TASK = lookup.findVarHandle(AppFuture.class, "task", Task.class);
            FINAL_STATE = lookup.findVarHandle(AppFuture.class, "finalState", TaskState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long taskId;
    /** The record while the task is not final; written with plain and release stores (see {@link #finish}). */
    private volatile Task task;
    private volatile TaskState finalState;

    AppFuture(Task task) {
        this.taskId = task.id();
        TASK.set(this, task); // a plain store: the future reaches other threads only with its task, through a hand-over
    }

    /**
     * The task's id within its DataFlowKernel.
     *
     * @return the id, from 1, in submission order
     */
    public long taskId() {
        return taskId;
    }

    /**
     * The task's state now; once this future is done, its final state.
     *
     * @return the state
     */
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
     * Cancels the task, if it is not final: it moves to {@code CANCELLED} and this future completes
     * with a {@link java.util.concurrent.CancellationException} on the calling thread (callbacks run
     * here). A task that has not started never runs; a running one is interrupted if
     * {@code mayInterruptIfRunning} (a distributed executor asks its worker to interrupt it), and
     * otherwise runs on with its result discarded. Dependents fail with {@link DependencyError}.
     *
     * @param mayInterruptIfRunning whether to interrupt a running body
     * @return {@code true} if the task is cancelled now (by this call or an earlier one);
     *         {@code false} if it had completed otherwise
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        Task t = task;
        if (t != null && t.cancel(mayInterruptIfRunning)) {
            return true;
        }
        return isCancelled();
    }

    /**
     * A new {@code CompletableFuture} that completes with this future's outcome and that the caller
     * may complete (completing it does not affect the task).
     *
     * @return the copy
     */
    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return copy();
    }

    /**
     * Waits if necessary for the task to be final, and returns its result.
     *
     * @return the task's result
     * @throws java.util.concurrent.CancellationException if the task was cancelled
     * @throws ExecutionException if the task failed (the cause is its exception, or a
     *         {@link DependencyError})
     * @throws InterruptedException if the current thread was interrupted while waiting
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        return super.get();
    }

    /**
     * Waits if necessary for at most the given time for the task to be final, and returns its result.
     * A zero or negative timeout does not wait: the result if the task is final, else a
     * {@code TimeoutException}. A positive one is waited out in full if the task does not finish.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the task's result
     * @throws java.util.concurrent.CancellationException if the task was cancelled
     * @throws ExecutionException if the task failed (the cause is its exception)
     * @throws InterruptedException if the current thread was interrupted while waiting
     * @throws TimeoutException if the task is not final when the time is up
     * @throws NullPointerException if unit is null
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return super.get(timeout, Objects.requireNonNull(unit, "unit"));
    }

    /**
     * Waits if necessary for the task to be final, and returns its result; as {@link #get()} but
     * uninterruptible, with unchecked exceptions.
     *
     * @return the task's result
     * @throws java.util.concurrent.CancellationException if the task was cancelled
     * @throws java.util.concurrent.CompletionException if the task failed (the cause is its exception)
     */
    @Override
    public T join() {
        return super.join();
    }

    /**
     * The future that dependent stages ({@code thenApply}, ...) return: a plain, completable
     * {@code CompletableFuture}.
     *
     * @param <U> the stage's type
     * @return a new incomplete future
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    // --- completion by the DataFlowKernel only

    void finish(TaskState state, Object value, Throwable failure) {
        // Release stores, not volatile ones: the completion below is a compare-and-set that orders them
        // before the future is seen done, and a reader that sees the task gone sees the final state.
        FINAL_STATE.setRelease(this, state);
        TASK.setRelease(this, null);
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

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public boolean complete(T value) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public void obtrudeValue(T value) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public void obtrudeException(Throwable ex) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        throw readOnly();
    }

    /**
     * Not supported: only the DataFlowKernel completes a task's future.
     *
     * @throws UnsupportedOperationException always; use {@link #toCompletableFuture()} for a copy
     */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        throw readOnly();
    }

    @Override
    public String toString() {
        return "AppFuture[task " + taskId + ", " + state() + "]";
    }
}
