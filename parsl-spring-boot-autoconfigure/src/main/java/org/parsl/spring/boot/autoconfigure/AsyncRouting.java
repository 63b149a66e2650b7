package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;

import org.parsl.concurrent.ParslPoolExecutor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.Environment;

/**
 * Which {@code @Async} methods Parsl runs: those whose executor name is a {@link ParslPoolExecutor}
 * bean (an executor label, or {@code parslPoolExecutor}). The same on a worker, which has the same pool
 * beans (running on its own thread pools).
 */
final class AsyncRouting {

    private final BeanFactory beanFactory;
    private final Environment environment;

    private AsyncRouting(BeanFactory beanFactory, Environment environment) {
        this.beanFactory = beanFactory;
        this.environment = environment;
    }

    static AsyncRouting of(BeanFactory beanFactory, Environment environment) {
        return new AsyncRouting(beanFactory, environment);
    }

    String label(Method method, Class<?> targetClass) {
        return AsyncMethods.executorName(method, targetClass, environment);
    }

    boolean isParsl(Method method, Class<?> targetClass) {
        String label = label(method, targetClass);
        return label != null && beanFactory.containsBean(label) && beanFactory.isTypeMatch(label, ParslPoolExecutor.class);
    }
}
