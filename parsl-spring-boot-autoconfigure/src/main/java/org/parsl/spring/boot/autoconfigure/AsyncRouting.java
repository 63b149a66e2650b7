package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.Set;

import org.parsl.concurrent.ParslPoolExecutor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.Environment;

/**
 * Which {@code @Async} methods Parsl runs: those whose executor name is a {@link ParslPoolExecutor}
 * bean (an executor label, or {@code parslPoolExecutor}) — or, on a worker, a label the worker serves
 * or that {@code parsl.executors} lists.
 */
final class AsyncRouting {

    private final BeanFactory beanFactory;
    private final Environment environment;
    private final Set<String> workerLabels;

    private AsyncRouting(BeanFactory beanFactory, Environment environment, Set<String> workerLabels) {
        this.beanFactory = beanFactory;
        this.environment = environment;
        this.workerLabels = workerLabels;
    }

    /** Routing of an application that runs a DataFlowKernel. */
    static AsyncRouting kernel(BeanFactory beanFactory, Environment environment) {
        return new AsyncRouting(beanFactory, environment, null);
    }

    /** Routing of a worker, which serves the given labels. */
    static AsyncRouting worker(Environment environment, Set<String> labels) {
        return new AsyncRouting(null, environment, Set.copyOf(labels));
    }

    String label(Method method, Class<?> targetClass) {
        return AsyncMethods.executorName(method, targetClass, environment);
    }

    boolean isParsl(Method method, Class<?> targetClass) {
        String label = label(method, targetClass);
        if (label == null) {
            return false;
        }
        if (workerLabels != null) {
            return workerLabels.contains(label);
        }
        return beanFactory.containsBean(label) && beanFactory.isTypeMatch(label, ParslPoolExecutor.class);
    }
}
