package org.parsl.spring.boot.autoconfigure;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * The caller's context that travels with an {@code @Async} call to a worker: the SLF4J MDC, and the
 * values of Micrometer context-propagation {@code ThreadLocalAccessor}s (when that library is on the
 * class path) whose key and value are strings — only strings travel. The trace travels separately,
 * as propagation headers of the task's observation ({@link ParslTaskObservations}).
 *
 * <p>Restored around the call on the worker's thread, and the worker's previous values put back after.
 *
 * @param mdc the caller's MDC (empty when none)
 * @param threadLocals the string values of the caller's registered thread-local accessors, by key
 */
record CallerContext(Map<String, String> mdc, Map<String, String> threadLocals) implements Serializable {

    private static final boolean CONTEXT_PROPAGATION = ClassUtils.isPresent("io.micrometer.context.ContextRegistry",
            CallerContext.class.getClassLoader());

    static final CallerContext EMPTY = new CallerContext(Map.of(), Map.of());

    CallerContext {
        mdc = mdc == null ? Map.of() : new HashMap<>(mdc);
        threadLocals = threadLocals == null ? Map.of() : new HashMap<>(threadLocals);
    }

    /** This thread's context. */
    static CallerContext capture() {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Map<String, String> locals = CONTEXT_PROPAGATION ? ThreadLocals.capture() : Map.of();
        return new CallerContext(mdc, locals);
    }

    /** Sets this context on this thread; closing the scope puts back what was there. */
    Scope restore() {
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        if (mdc.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(mdc);
        }
        Runnable locals = CONTEXT_PROPAGATION && !threadLocals.isEmpty() ? ThreadLocals.restore(threadLocals) : () -> { };
        return () -> {
            locals.run();
            if (previousMdc == null || previousMdc.isEmpty()) {
                MDC.clear();
            } else {
                MDC.setContextMap(previousMdc);
            }
        };
    }

    /** Ends a {@link #restore()}. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Kept apart so that nothing loads context-propagation's classes when it is absent. */
    private static final class ThreadLocals {

        static Map<String, String> capture() {
            Map<String, String> values = new HashMap<>();
            for (ThreadLocalAccessor<?> accessor : ContextRegistry.getInstance().getThreadLocalAccessors()) {
                if (accessor.key() instanceof String key && accessor.getValue() instanceof String value) {
                    values.put(key, value);
                }
            }
            return values;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        static Runnable restore(Map<String, String> values) {
            List<Runnable> undo = new ArrayList<>();
            for (ThreadLocalAccessor accessor : ContextRegistry.getInstance().getThreadLocalAccessors()) {
                if (accessor.key() instanceof String key && values.containsKey(key)) {
                    Object previous = accessor.getValue();
                    accessor.setValue(values.get(key));
                    undo.add(() -> {
                        if (previous == null) {
                            accessor.restore();
                        } else {
                            accessor.restore(previous);
                        }
                    });
                }
            }
            return () -> undo.forEach(Runnable::run);
        }
    }
}
