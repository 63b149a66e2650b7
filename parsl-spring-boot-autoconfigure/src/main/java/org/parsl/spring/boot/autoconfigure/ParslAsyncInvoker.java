package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Runs an {@code @Async} call that arrived as a {@link RemoteBeanCall}: finds the bean and method,
 * checks that the method may be called this way, reads the JSON arguments into the declared parameter
 * types, calls the method through the bean (so its other advice, e.g. transactions, applies) on the
 * calling thread with the caller's context restored, waits for the future it returns, and writes the
 * result as JSON.
 *
 * <p>Only {@code @Async} methods on Parsl pools are called: on a worker, those whose executor is one of
 * the labels it serves ({@code parsl.worker.labels}) or the pool over all executors. Any other call —
 * a method without {@code @Async}, of another label, private, static, or on a bean that does not
 * exist — fails without running anything.
 */
public final class ParslAsyncInvoker {

    private final BeanFactory beanFactory;
    private final JsonCodec codec;
    private final AsyncRouting routing;
    private final Set<String> servedLabels;
    private final ObjectProvider<ObservationRegistry> observations;

    /**
     * @param servedLabels the executor labels whose calls this application runs; {@code null}: any Parsl pool
     */
    ParslAsyncInvoker(BeanFactory beanFactory, JsonCodec codec, AsyncRouting routing, Set<String> servedLabels,
            ObjectProvider<ObservationRegistry> observations) {
        this.beanFactory = beanFactory;
        this.codec = codec;
        this.routing = routing;
        this.servedLabels = servedLabels == null ? null : Set.copyOf(servedLabels);
        this.observations = observations;
    }

    JsonCodec codec() {
        return codec;
    }

    /** Calls the bean method the call names; its result as JSON ({@code null} for void). */
    String invoke(RemoteBeanCall call) throws Exception {
        if (!beanFactory.containsBean(call.beanName())) {
            throw refused(call, "there is no bean '" + call.beanName() + "' in this application");
        }
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
        check(call, userMethod, targetClass);
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
        Method target = entry;
        Object result;
        try (CallerContext.Scope restored = call.caller().restore()) {
            result = observed(call, () -> {
                try {
                    return ParslAsyncInterceptor.inline(target, bean, args);
                } catch (InvocationTargetException e) {
                    throw rethrow(e.getCause());
                }
            });
        }
        return userMethod.getReturnType() == void.class ? null : codec.write(unwrap(result));
    }

    /** Only public {@code @Async} methods of a Parsl pool this application serves. */
    private void check(RemoteBeanCall call, Method method, Class<?> targetClass) {
        int modifiers = method.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers)) {
            throw refused(call, "the method is not a public instance method");
        }
        String label = routing.label(method, targetClass);
        if (label == null) {
            throw refused(call, "the method is not an @Async method");
        }
        if (!routing.isParsl(method, targetClass)) {
            throw refused(call, "its @Async(\"" + label + "\") does not name a Parsl executor");
        }
        if (servedLabels != null && !servedLabels.contains(label) && !ParslAutoConfiguration.POOL_EXECUTOR_BEAN_NAME.equals(label)) {
            throw refused(call, "its @Async(\"" + label + "\") names an executor this worker does not serve (it serves "
                    + servedLabels + ")");
        }
    }

    private static SecurityException refused(RemoteBeanCall call, String why) {
        return new SecurityException("refused " + call + ": " + why + "; a worker runs only the @Async methods of the Parsl executors it serves");
    }

    /** Runs the call inside an observation that continues the caller's trace, when there is a registry. */
    private Object observed(RemoteBeanCall call, Observation.CheckedCallable<Object, Exception> body) throws Exception {
        ObservationRegistry registry = observations == null ? null : observations.getIfUnique();
        if (registry == null || registry.isNoop()) {
            return body.call();
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key), Kind.CONSUMER);
        context.setCarrier(call.trace());
        context.setRemoteServiceName("parsl");
        return Observation.createNotStarted(ParslTaskObservations.RUN_NAME, () -> context, registry)
                .contextualName(ParslTaskObservations.RUN_NAME + " " + call.signature())
                .lowCardinalityKeyValue("bean", call.beanName())
                .observeChecked(body);
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
