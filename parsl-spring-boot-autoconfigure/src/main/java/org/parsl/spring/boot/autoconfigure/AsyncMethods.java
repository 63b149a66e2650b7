package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;

/** Reads {@code @Async} executor names the way Spring does: the method's annotation, else its class's. */
final class AsyncMethods {

    private AsyncMethods() {
    }

    /** The executor name of an {@code @Async} method, placeholders resolved; null when it has none. */
    static String executorName(Method method, Class<?> targetClass, Environment environment) {
        Async async = AnnotatedElementUtils.findMergedAnnotation(method, Async.class);
        if (async == null) {
            async = AnnotatedElementUtils.findMergedAnnotation(targetClass, Async.class);
        }
        if (async == null) {
            async = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), Async.class);
        }
        if (async == null || async.value().isEmpty()) {
            return null;
        }
        return environment == null ? async.value() : environment.resolvePlaceholders(async.value());
    }

    /** Whether values of this type are futures (a dependency as an argument, the result's wrapper as a return type). */
    static boolean isFuture(ResolvableType type) {
        Class<?> raw = type.resolve(Object.class);
        return Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw);
    }
}
