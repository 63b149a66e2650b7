package org.parsl.spring.boot.autoconfigure;

import java.util.function.Supplier;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.aop.interceptor.SimpleAsyncUncaughtExceptionHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.util.function.SingletonSupplier;

/**
 * The handler of failures of {@code void} {@code @Async} methods, as Spring's own async support finds it:
 * the application's {@link AsyncConfigurer}, else Spring's {@link SimpleAsyncUncaughtExceptionHandler}
 * (which logs the failure at ERROR).
 */
final class AsyncExceptionHandlers {

    private AsyncExceptionHandlers() {
    }

    /** Looked up at the first failure, so a configurer created late is still found. */
    static Supplier<AsyncUncaughtExceptionHandler> of(ObjectProvider<AsyncConfigurer> configurer) {
        return SingletonSupplier.of(() -> {
            AsyncConfigurer c = configurer.getIfUnique();
            AsyncUncaughtExceptionHandler handler = c == null ? null : c.getAsyncUncaughtExceptionHandler();
            return handler != null ? handler : new SimpleAsyncUncaughtExceptionHandler();
        });
    }
}
