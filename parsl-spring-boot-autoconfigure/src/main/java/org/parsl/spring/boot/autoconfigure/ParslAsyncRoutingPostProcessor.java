package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;

/**
 * Hands {@code @Async} methods on Parsl pools to Parsl. For each bean that {@code @EnableAsync} proxied,
 * it narrows Spring's async advisor to the other {@code @Async} methods and puts its own
 * {@link ParslAsyncInterceptor} first for the Parsl ones — so such a call is seen on the caller's
 * thread as bean + method + arguments, and the rest of the bean's advice still runs around the method
 * wherever it executes.
 *
 * <p>Deliberately not {@code Ordered}: unordered post-processors run after the ordered
 * {@code AsyncAnnotationBeanPostProcessor}, so its proxy exists when this one looks.
 */
final class ParslAsyncRoutingPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<AsyncRouting> routing;
    private final ObjectProvider<ParslAsyncDispatcher> dispatcher;

    ParslAsyncRoutingPostProcessor(ObjectProvider<AsyncRouting> routing, ObjectProvider<ParslAsyncDispatcher> dispatcher) {
        this.routing = routing;
        this.dispatcher = dispatcher;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof Advised advised) || advised.isFrozen()) {
            return bean;
        }
        for (Advisor advisor : advised.getAdvisors()) {
            if (advisor instanceof AsyncAnnotationAdvisor async) {
                AsyncRouting r = routing.getObject();
                ParslMethods parsl = new ParslMethods(r);
                Pointcut others = new ComposablePointcut(async.getPointcut()).intersection(new NotMatcher(parsl));
                advised.replaceAdvisor(async, new OtherAsyncMethodsAdvisor(others, async.getAdvice()));
                advised.addAdvisor(0, new DefaultPointcutAdvisor(new ComposablePointcut(parsl),
                        new ParslAsyncInterceptor(beanName, dispatcher, r)));
                return bean;
            }
        }
        return bean;
    }

    /** Methods whose {@code @Async} names a Parsl pool. */
    private static final class ParslMethods extends StaticMethodMatcher {
        private final AsyncRouting routing;

        ParslMethods(AsyncRouting routing) {
            this.routing = routing;
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return routing.isParsl(AopUtils.getMostSpecificMethod(method, targetClass), targetClass);
        }
    }

    private static final class NotMatcher extends StaticMethodMatcher {
        private final ParslMethods parsl;

        NotMatcher(ParslMethods parsl) {
            this.parsl = parsl;
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return !parsl.matches(method, targetClass);
        }
    }

    /** Spring's async advice, for the {@code @Async} methods that are not Parsl's. */
    private static final class OtherAsyncMethodsAdvisor implements PointcutAdvisor {
        private final Pointcut pointcut;
        private final Advice advice;

        OtherAsyncMethodsAdvisor(Pointcut pointcut, Advice advice) {
            this.pointcut = pointcut;
            this.advice = advice;
        }

        @Override
        public Pointcut getPointcut() {
            return pointcut;
        }

        @Override
        public Advice getAdvice() {
            return advice;
        }
    }
}
