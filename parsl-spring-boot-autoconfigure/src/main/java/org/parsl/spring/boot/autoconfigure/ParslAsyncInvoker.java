package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Runs an {@code @Async} call that arrived as a {@link RemoteBeanCall}: finds the bean and method,
 * reads the JSON arguments into the declared parameter types, calls the method through the bean (so
 * its other advice, e.g. transactions, applies) on the calling thread, waits for the future it
 * returns, and writes the result as JSON.
 */
public final class ParslAsyncInvoker {

    private final BeanFactory beanFactory;
    private final JsonCodec codec;

    ParslAsyncInvoker(BeanFactory beanFactory, JsonCodec codec) {
        this.beanFactory = beanFactory;
        this.codec = codec;
    }

    JsonCodec codec() {
        return codec;
    }

    /** Calls the bean method the call names; its result as JSON ({@code null} for void). */
    String invoke(RemoteBeanCall call) throws Exception {
        Object bean = beanFactory.getBean(call.beanName());
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        ClassLoader loader = targetClass.getClassLoader();
        List<String> typeNames = call.parameterTypes();
        Class<?>[] types = new Class<?>[typeNames.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = ClassUtils.forName(typeNames.get(i), loader);
        }
        Method userMethod = ReflectionUtils.findMethod(targetClass, call.method(), types);
        if (userMethod == null) {
            throw new NoSuchMethodException("bean '" + call.beanName() + "' (" + targetClass.getName() + ") on this worker has no method "
                    + call.signature() + ": the worker must run the same version of the application as the submitter");
        }
        Object[] args = new Object[types.length];
        for (int i = 0; i < args.length; i++) {
            ResolvableType declared = ResolvableType.forMethodParameter(userMethod, i, targetClass);
            args[i] = JsonCodec.rewrap(codec.readWire(call.jsonArgs().get(i), declared), declared);
        }
        Method entry = ClassUtils.getMostSpecificMethod(userMethod, bean.getClass());
        if (!entry.getDeclaringClass().isInstance(bean)) {
            entry = bean.getClass().getMethod(userMethod.getName(), types);
        }
        ReflectionUtils.makeAccessible(entry);
        Object result;
        try {
            result = ParslAsyncInterceptor.inline(entry, bean, args);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        }
        return userMethod.getReturnType() == void.class ? null : codec.write(unwrap(result));
    }

    /** The value of a future an {@code @Async} method returned (the method's own result otherwise). */
    static Object unwrap(Object result) throws Exception {
        if (result instanceof Future<?> f) {
            try {
                return f.get();
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        }
        return result;
    }

    static Exception rethrow(Throwable t) {
        if (t instanceof Error error) {
            throw error;
        }
        return (Exception) t;
    }
}
