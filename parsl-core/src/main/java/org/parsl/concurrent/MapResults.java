package org.parsl.concurrent;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.TaskState;

/**
 * The lazy, in-order results of {@code map}: a window of submitted tasks, refilled from the inputs as
 * results are taken (all at once when unbounded). Not thread safe, like any iterator.
 */
final class MapResults<A, R> implements Iterator<R> {

    private final Iterator<? extends A> inputs;
    private final Function<A, AppFuture<R>> submit;
    private final int maxInFlight;
    private final long deadlineNanos;
    private final boolean timed;
    private final ArrayDeque<AppFuture<R>> window = new ArrayDeque<>();
    private boolean stopped;

    /** @param timeoutNanos null for none; otherwise not negative (zero: take only results already there) */
    MapResults(Iterator<? extends A> inputs, Function<A, AppFuture<R>> submit, int maxInFlight, Long timeoutNanos) {
        this.inputs = inputs;
        this.submit = submit;
        this.maxInFlight = maxInFlight;
        this.timed = timeoutNanos != null;
        this.deadlineNanos = timed ? System.nanoTime() + timeoutNanos : 0;
        fill();
    }

    private void fill() {
        while (!stopped && window.size() < maxInFlight && inputs.hasNext()) {
            window.add(submit.apply(inputs.next()));
        }
    }

    @Override
    public boolean hasNext() {
        return !window.isEmpty();
    }

    @Override
    public R next() {
        AppFuture<R> f = window.poll();
        if (f == null) {
            throw new NoSuchElementException();
        }
        try {
            R value;
            if (timed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 && !f.isDone()) {
                    throw new TimeoutException("map timed out");
                }
                value = f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } else {
                value = f.get();
            }
            fill();
            return value;
        } catch (TimeoutException e) {
            window.addFirst(f);
            cancelRest();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (CancellationException e) {
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelRest();
            throw new CompletionException(e);
        }
    }

    /** Cancels every task of the window (with interruption); inputs not yet submitted never will be. */
    void cancelRest() {
        stopped = true;
        // Not-started tasks first: cancelling a running one frees a thread that would start a queued one.
        for (AppFuture<R> f : window) {
            TaskState s = f.state();
            if (s == TaskState.PENDING || s == TaskState.LAUNCHED) {
                f.cancel(true);
            }
        }
        AppFuture<R> f;
        while ((f = window.poll()) != null) {
            f.cancel(true);
        }
    }
}
