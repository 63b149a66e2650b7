package org.parsl.concurrent;

import java.util.concurrent.Callable;

import org.parsl.app.TaskCallable;

/** Adapts a plain {@link Callable} (serializable only if the callable is) to a task. */
final class CallableTask<R> implements TaskCallable<R> {

    private static final long serialVersionUID = 1L;

    final Callable<R> callable;

    CallableTask(Callable<R> callable) {
        this.callable = callable;
    }

    @Override
    public R call() throws Exception {
        return callable.call();
    }
}
