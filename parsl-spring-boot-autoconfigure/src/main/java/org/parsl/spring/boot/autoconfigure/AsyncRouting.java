package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;

import org.parsl.concurrent.ParslPoolExecutor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.Environment;

/**
 * Which {@code @Async} methods Parsl runs: those whose executor name is a {@link ParslPoolExecutor}
 * bean (an executor label, or {@code parslPoolExecutor}). On a worker, which has no pools, every
 * {@code @Async} method whose name is not an {@code Executor} bean of the worker: the calls the
 * worker receives name the submitter's pools.
 */
final class AsyncRouting {

    private final BeanFactory beanFactory;
    private final Environment environment;
    private final boolean worker;

    private AsyncRouting(BeanFactory beanFactory, Environment environment, boolean worker) {
        this.beanFactory = beanFactory;
        this.environment = environment;
        this.worker = worker;
    }

    /** Routing of an application that runs a DataFlowKernel. */
    static AsyncRouting kernel(BeanFactory beanFactory, Environment environment) {
        return new AsyncRouting(beanFactory, environment, false);
    }

    /** Routing of a worker. */
    static AsyncRouting worker(BeanFactory beanFactory, Environment environment) {
        return new AsyncRouting(beanFactory, environment, true);
    }

    String label(Method method, Class<?> targetClass) {
        return AsyncMethods.executorName(method, targetClass, environment);
    }

    boolean isParsl(Method method, Class<?> targetClass) {
        String label = label(method, targetClass);
        if (label == null) {
            return false;
        }
        if (worker) {
            return !(beanFactory.containsBean(label) && beanFactory.isTypeMatch(label, Executor.class));
        }
        return beanFactory.containsBean(label) && beanFactory.isTypeMatch(label, ParslPoolExecutor.class);
    }
}
