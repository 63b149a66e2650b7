package org.parsl.app;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names task functions the way Parsl names apps: a method reference or lambda by its implementing
 * method ({@code inc}, {@code lambda$main$0}), any other object by its class's simple name. The name
 * depends only on the class, so it is computed once per class.
 */
public final class FunctionNames {

    private static final Map<Class<?>, String> NAMES = new ConcurrentHashMap<>();

    private FunctionNames() {
    }

    /** The name of a task function object. */
    public static String of(Object function) {
        Class<?> type = function.getClass();
        String name = NAMES.get(type);
        if (name == null) {
            name = nameOf(function);
            NAMES.putIfAbsent(type, name);
        }
        return name;
    }

    private static String nameOf(Object function) {
        Class<?> type = function.getClass();
        if (type.isSynthetic() && function instanceof Serializable) {
            try {
                Method writeReplace = type.getDeclaredMethod("writeReplace");
                writeReplace.setAccessible(true);
                if (writeReplace.invoke(function) instanceof SerializedLambda lambda) {
                    return lambda.getImplMethodName();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not a lambda after all, or not accessible: fall back to the class name
            }
        }
        String name = type.getName();
        int cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('$'));
        String simple = cut < 0 ? name : name.substring(cut + 1);
        int slash = simple.indexOf('/');
        return slash < 0 ? simple : simple.substring(0, slash);
    }
}
