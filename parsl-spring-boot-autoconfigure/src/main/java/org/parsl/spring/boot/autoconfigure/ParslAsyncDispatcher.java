package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import org.aopalliance.intercept.MethodInvocation;
import org.parsl.app.TaskCallable;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskBinder;
import org.parsl.dataflow.TaskSpec;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.springframework.aop.ProxyMethodInvocation;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Turns an {@code @Async("label")} call into a task of the pool named {@code label}. A {@code Future}
 * among the arguments (also inside a collection, map or array) is a dependency: the call runs once it
 * completes, and fails with {@code DependencyError} if it failed.
 *
 * <ul>
 * <li>When every executor of the pool is a thread pool, the method runs in this JVM on the pool's
 * thread, with its arguments as given.</li>
 * <li>Otherwise the call is sent as a {@link RemoteBeanCall} (bean name, method, arguments in JSON);
 * a worker — this application in worker mode — calls its own bean, and the JSON result is read back
 * into the method's declared return type (generics included).</li>
 * </ul>
 * The method must return {@code void}, {@code CompletableFuture<T>}, {@code CompletionStage<T>} or
 * {@code Future<T>}, as for Spring's {@code @Async}; the caller gets a future of the task (cancelling
 * it cancels the task). Failures of {@code void} methods are logged.
 */
final class ParslAsyncDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ParslAsyncDispatcher.class);

    private final BeanFactory beanFactory;
    private final ParslAsyncInvoker invoker;

    ParslAsyncDispatcher(BeanFactory beanFactory, ParslAsyncInvoker invoker) {
        this.beanFactory = beanFactory;
        this.invoker = invoker;
    }

    Object dispatch(MethodInvocation invocation, String beanName, Class<?> targetClass, Method method, String label) {
        Class<?> returnType = method.getReturnType();
        if (returnType != void.class && !Future.class.isAssignableFrom(returnType)
                && !java.util.concurrent.CompletionStage.class.isAssignableFrom(returnType)) {
            throw new IllegalArgumentException("Invalid return type for async method (only Future and void supported): "
                    + method + "; declare CompletableFuture<T> to run it on Parsl executor '" + label + "'");
        }
        ParslPoolExecutor pool = beanFactory.getBean(label, ParslPoolExecutor.class);
        DataFlowKernel dfk = pool.dfk();
        Object[] args = invocation.getArguments();
        String name = targetClass.getSimpleName() + "." + method.getName();
        AppFuture<Object> task;
        CompletableFuture<Object> result;
        if (allLocal(dfk, pool.executors())) {
            // a fresh invocation per try: proceeding twice on one would skip the bean's other advice
            TaskBinder binder = resolved -> {
                MethodInvocation call = invocation instanceof ProxyMethodInvocation p ? p.invocableClone() : invocation;
                return (TaskCallable<Object>) () -> proceed(call);
            };
            task = dfk.submit(new TaskSpec(name, method, binder, args, pool.executors(), false, pool));
            result = task;
        } else {
            if (returnType != void.class && !returnType.isAssignableFrom(CompletableFuture.class)) {
                throw new IllegalArgumentException("@Async(\"" + label + "\") " + name + " returns " + returnType.getSimpleName()
                        + ", but a call sent to a worker can only complete a CompletableFuture: declare CompletableFuture<T>, "
                        + "CompletionStage<T> or Future<T>");
            }
            List<String> typeNames = new ArrayList<>();
            for (Class<?> t : method.getParameterTypes()) {
                typeNames.add(t.getName());
            }
            JsonCodec codec = invoker.codec();
            RemoteBeanCall template = new RemoteBeanCall(beanName, targetClass.getName(), method.getName(), typeNames, List.of(), null);
            TaskBinder binder = resolved -> {
                List<String> json = new ArrayList<>(resolved.length);
                for (Object arg : resolved) {
                    json.add(codec.write(arg));
                }
                return new RemoteBeanCall(beanName, targetClass.getName(), method.getName(), typeNames, json, invoker);
            };
            task = dfk.submit(new TaskSpec(name, template, binder, args, pool.executors(), false, pool));
            if (returnType == void.class) {
                result = task;
            } else {
                ResolvableType declared = ResolvableType.forMethodReturnType(method, targetClass);
                CompletableFuture<Object> decoded = task.thenApply(json -> json == null ? null : codec.readWire((String) json, declared));
                AppFuture<Object> t = task;
                decoded.whenComplete((v, e) -> {
                    if (decoded.isCancelled()) {
                        t.cancel(true);
                    }
                });
                result = decoded;
            }
        }
        if (returnType == void.class) {
            result.whenComplete((v, e) -> {
                if (e != null) {
                    log.error("@Async method {} on Parsl executor '{}' failed", method, label, e);
                }
            });
            return null;
        }
        return result;
    }

    private static boolean allLocal(DataFlowKernel dfk, Set<String> labels) {
        for (ParslExecutor e : dfk.config().executors()) {
            if ((labels.isEmpty() || labels.contains(e.label())) && !(e instanceof ThreadPoolExecutor)) {
                return false;
            }
        }
        return true;
    }

    private static Object proceed(MethodInvocation invocation) throws Exception {
        Object result;
        try {
            result = invocation.proceed();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return ParslAsyncInvoker.unwrap(result);
    }
}
