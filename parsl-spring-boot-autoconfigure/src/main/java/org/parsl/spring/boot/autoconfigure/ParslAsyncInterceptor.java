package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Sits in front of Spring's async advice on a bean and takes the {@code @Async} methods whose
 * executor is a Parsl pool: the call becomes a DataFlowKernel task (see {@link ParslAsyncDispatcher}).
 * A call that a worker runs ({@link #inline}) proceeds on the calling thread.
 */
final class ParslAsyncInterceptor implements MethodInterceptor {

    /** Set while a worker (or a local task) runs the method itself: proceed instead of dispatching. */
    private static final ThreadLocal<Boolean> INLINE = new ThreadLocal<>();

    private final String beanName;
    private final ObjectProvider<ParslAsyncDispatcher> dispatcher;
    private final AsyncRouting routing;

    ParslAsyncInterceptor(String beanName, ObjectProvider<ParslAsyncDispatcher> dispatcher, AsyncRouting routing) {
        this.beanName = beanName;
        this.dispatcher = dispatcher;
        this.routing = routing;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (Boolean.TRUE.equals(INLINE.get())) {
            INLINE.remove(); // nested @Async calls made by the method dispatch as usual
            return invocation.proceed();
        }
        Class<?> targetClass = invocation.getThis() == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        String label = routing.label(method, targetClass);
        return dispatcher.getObject().dispatch(invocation, beanName, targetClass, method, label);
    }

    /** Calls the method on the bean (through its proxy) on this thread, bypassing the dispatch. */
    static Object inline(Method method, Object bean, Object[] args) throws InvocationTargetException, IllegalAccessException {
        INLINE.set(Boolean.TRUE);
        try {
            return method.invoke(bean, args);
        } finally {
            INLINE.remove();
        }
    }
}
