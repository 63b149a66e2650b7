package org.parsl.concurrent;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * Runs calls inside a {@link Runnable} decorator — the shape of Spring's {@code TaskDecorator} and of
 * {@link ParslPoolExecutor}'s local task decorator. The decorator wraps one runnable once, on the
 * thread that creates this object (so it captures that thread's context there); each {@link #call}
 * then runs its body inside the decorated runnable and hands back the body's value or exception
 * unchanged. Used for the tries of one task: calls on one instance run one at a time.
 */
public final class DecoratedCalls {

    private final Runnable decorated;
    private Callable<?> current;
    private Object result;
    private Throwable failure;

    /**
     * @param decorator wraps the runnable each call runs in; applied once, here
     */
    public DecoratedCalls(UnaryOperator<Runnable> decorator) {
        Runnable body = this::runCurrent;
        this.decorated = Objects.requireNonNull(decorator.apply(body), "the task decorator returned null");
    }

    /**
     * Runs {@code body} inside the decorated runnable on the calling thread.
     *
     * @return the body's value
     * @throws Exception the body's exception (an {@link Error} is rethrown as it is; any other
     *         throwable is wrapped in an {@link IllegalStateException})
     */
    public synchronized Object call(Callable<?> body) throws Exception {
        current = body;
        result = null;
        failure = null;
        try {
            decorated.run();
        } finally {
            current = null;
        }
        Throwable f = failure;
        failure = null;
        if (f instanceof Exception e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
        Object r = result;
        result = null;
        return r;
    }

    private void runCurrent() {
        try {
            result = current.call();
        } catch (Throwable t) {
            failure = t;
        }
    }
}
