package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

import org.parsl.concurrent.ParslPoolExecutor;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Fails startup when an {@code @Async("name")} on a bean names no executor: Spring would only notice at
 * the method's first call. Runs once every singleton exists.
 */
final class AsyncExecutorNameVerifier implements SmartInitializingSingleton, BeanFactoryAware, EnvironmentAware {

    private ConfigurableListableBeanFactory beanFactory;
    private Environment environment;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        Set<Class<?>> seen = new java.util.HashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            if (AopUtils.isJdkDynamicProxy(type) || !seen.add(userClass) || userClass.getName().startsWith("org.springframework.")) {
                continue;
            }
            for (Method m : ReflectionUtils.getUniqueDeclaredMethods(userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
                String executor;
                try {
                    executor = AsyncMethods.executorName(m, userClass, environment);
                } catch (IllegalArgumentException unresolvable) {
                    continue;
                }
                if (executor != null && !exists(executor)) {
                    unknown.add(executor);
                    problems.add("@Async(\"" + executor + "\") on " + userClass.getName() + "." + m.getName()
                            + "() names an executor that does not exist");
                }
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        List<String> pools = new ArrayList<>(List.of(beanFactory.getBeanNamesForType(ParslPoolExecutor.class, true, false)));
        pools.remove(ParslAutoConfiguration.POOL_EXECUTOR_BEAN_NAME);
        pools.sort(null);
        String first = unknown.iterator().next();
        throw new InvalidParslConfigurationException(
                String.join(System.lineSeparator(), problems) + "; configured Parsl executors: " + pools
                        + " (and " + ParslAutoConfiguration.POOL_EXECUTOR_BEAN_NAME + ", over all of them)",
                "Use one of " + pools + " in @Async, or configure the executor, e.g. parsl.executors." + first
                        + ".type=thread-pool (or hazelcast), or define an Executor bean named '" + first + "'.");
    }

    private boolean exists(String name) {
        if (beanFactory.containsBean(name)) {
            return true;
        }
        try {
            BeanFactoryAnnotationUtils.qualifiedBeanOfType(beanFactory, Executor.class, name);
            return true;
        } catch (NoSuchBeanDefinitionException e) {
            return false;
        }
    }
}
