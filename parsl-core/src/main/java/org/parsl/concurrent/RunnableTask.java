package org.parsl.concurrent;

import org.parsl.app.TaskCallable;

/** Adapts a {@link Runnable} (serializable only if the runnable is) to a task with a fixed result. */
final class RunnableTask<R> implements TaskCallable<R> {

    private static final long serialVersionUID = 1L;

    final Runnable runnable;
    private final R result;

    RunnableTask(Runnable runnable, R result) {
        this.runnable = runnable;
        this.result = result;
    }

    @Override
    public R call() {
        runnable.run();
        return result;
    }
}
