package org.parsl.app;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A task function ({@link TaskCallable}, {@link TaskFunction}, {@link TaskBiFunction} or
 * {@link TaskVarargsFunction}) bound to its resolved arguments: the body an executor runs.
 * Serializable when the function and the arguments are.
 */
public final class Invocation implements TaskCallable<Object> {

    private static final long serialVersionUID = 1L;

    private final Object function;
    private final Object[] args;

    Invocation(Object function, Object[] args) {
        this.function = function;
        this.args = args;
    }

    /**
     * @param function a task function of one of the four shapes
     * @param args its arguments, as many as it takes
     */
    public static Invocation of(Object function, Object[] args) {
        if (!(function instanceof TaskFunction || function instanceof TaskBiFunction
                || function instanceof TaskCallable || function instanceof TaskVarargsFunction)) {
            throw new IllegalArgumentException("not a task function: " + function.getClass().getName()
                    + "; use a TaskCallable, TaskFunction, TaskBiFunction or TaskVarargsFunction");
        }
        return new Invocation(function, args);
    }

    /** The function. */
    public Object function() {
        return function;
    }

    /** The resolved arguments, in order (a read-only view). */
    public List<Object> arguments() {
        return Collections.unmodifiableList(Arrays.asList(args));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object call() throws Exception {
        if (function instanceof TaskFunction f) {
            return f.apply(args[0]);
        }
        if (function instanceof TaskBiFunction f) {
            return f.apply(args[0], args[1]);
        }
        if (function instanceof TaskCallable c) {
            return c.call();
        }
        if (function instanceof TaskVarargsFunction f) {
            return f.apply(args);
        }
        throw new IllegalStateException("not a task function: " + function.getClass().getName());
    }

    @Override
    public String toString() {
        return FunctionNames.of(function) + Arrays.toString(args);
    }
}
