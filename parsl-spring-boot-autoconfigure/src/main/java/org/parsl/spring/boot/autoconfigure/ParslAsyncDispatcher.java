package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.micrometer.observation.Observation;
import org.aopalliance.intercept.MethodInvocation;
import org.parsl.app.TaskCallable;
import org.parsl.concurrent.DecoratedCalls;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskBinder;
import org.parsl.dataflow.TaskSpec;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.ThreadPoolExecutor;
import org.parsl.spring.boot.autoconfigure.ParslTaskObservations.TaskContext;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.core.task.TaskDecorator;

/**
 * Turns an {@code @Async("label")} call into a task of the pool named {@code label}. A {@code Future}
 * among the arguments (also inside a collection, map or array) is a dependency: the call runs once it
 * completes, and fails with {@code DependencyError} if it failed.
 *
 * <ul>
 * <li>When every executor of the pool is a thread pool, the method runs in this JVM on the pool's
 * thread, with its arguments as given, wrapped by the application's {@link TaskDecorator} beans
 * (applied on the calling thread, as a Spring executor applies them) and inside the scope of the task's
 * observation.</li>
 * <li>Otherwise the call is sent as a {@link RemoteBeanCall} (bean name, method, arguments in JSON,
 * the caller's {@link CallerContext} and the trace's propagation headers); a worker — this application
 * in worker mode — calls its own bean, and the JSON result is read back into the method's declared
 * return type (generics included).</li>
 * </ul>
 * The method must return {@code void}, {@code CompletableFuture<T>}, {@code CompletionStage<T>} or
 * {@code Future<T>}, as for Spring's {@code @Async}; the caller gets a future of the task (cancelling
 * it cancels the task). Failures of {@code void} methods go to the application's
 * {@code AsyncUncaughtExceptionHandler} (its {@code AsyncConfigurer}'s), as with Spring's executors.
 */
final class ParslAsyncDispatcher {

    private final BeanFactory beanFactory;
    private final ParslAsyncInvoker invoker;
    private final TaskDecorator taskDecorator;
    private final Supplier<AsyncUncaughtExceptionHandler> exceptionHandler;

    ParslAsyncDispatcher(BeanFactory beanFactory, ParslAsyncInvoker invoker, TaskDecorator taskDecorator,
            Supplier<AsyncUncaughtExceptionHandler> exceptionHandler) {
        this.beanFactory = beanFactory;
        this.invoker = invoker;
        this.taskDecorator = taskDecorator;
        this.exceptionHandler = exceptionHandler;
    }

    Object dispatch(MethodInvocation invocation, String beanName, Class<?> targetClass, Method method, String label) {
        Class<?> returnType = method.getReturnType();
        if (returnType != void.class && !Future.class.isAssignableFrom(returnType)
                && !CompletionStage.class.isAssignableFrom(returnType)) {
            throw new IllegalArgumentException("Invalid return type for async method (only Future and void supported): "
                    + method + "; declare CompletableFuture<T> to run it on Parsl executor '" + label + "'");
        }
        ParslPoolExecutor pool = beanFactory.getBean(label, ParslPoolExecutor.class);
        DataFlowKernel dfk = pool.dfk();
        Duration walltime = pool.walltime().orElse(null); // an application's own pool bean may set one; its calls get it too
        Object[] args = invocation.getArguments();
        String name = targetClass.getSimpleName() + "." + method.getName();
        TaskContext[] observed = new TaskContext[1];
        AppFuture<Object> task;
        CompletableFuture<Object> result;
        if (allLocal(dfk, pool.executors())) {
            // the task decorators wrap the body once, here on the calling thread (they capture its context)
            DecoratedCalls calls = new DecoratedCalls(taskDecorator == null ? UnaryOperator.identity() : taskDecorator::decorate);
            // a fresh invocation per try: proceeding twice on one would skip the bean's other advice
            TaskBinder binder = resolved -> {
                MethodInvocation call = invocation instanceof ProxyMethodInvocation p ? p.invocableClone() : invocation;
                return (TaskCallable<Object>) () -> calls.call(() -> proceedObserved(call, observed));
            };
            task = ParslTaskObservations.submitting(observed,
                    () -> dfk.submit(new TaskSpec(name, method, binder, args, pool.executors(), false, pool, false, walltime)));
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
            CallerContext caller = CallerContext.capture();
            RemoteBeanCall template = new RemoteBeanCall(beanName, targetClass.getName(), method.getName(), typeNames, List.of(),
                    caller, Map.of(), null);
            TaskBinder binder = resolved -> {
                List<String> json = new ArrayList<>(resolved.length);
                for (Object arg : resolved) {
                    json.add(codec.write(arg));
                }
                Map<String, String> trace = observed[0] == null ? Map.of() : observed[0].getCarrier();
                return new RemoteBeanCall(beanName, targetClass.getName(), method.getName(), typeNames, json, caller, trace, invoker);
            };
            task = ParslTaskObservations.submitting(observed,
                    () -> dfk.submit(new TaskSpec(name, template, binder, args, pool.executors(), false, pool, false, walltime)));
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
                    exceptionHandler.get().handleUncaughtException(unwrap(e), method, args);
                }
            });
            return null;
        }
        return result;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean allLocal(DataFlowKernel dfk, Set<String> labels) {
        for (ParslExecutor e : dfk.config().executors()) {
            if ((labels.isEmpty() || labels.contains(e.label())) && !(e instanceof ThreadPoolExecutor)) {
                return false;
            }
        }
        return true;
    }

    /** One try of a local call, inside its task's observation when there is one. */
    private static Object proceedObserved(MethodInvocation call, TaskContext[] observed) throws Exception {
        Observation observation = observed[0] == null ? null : observed[0].observation();
        try (Observation.Scope scope = observation == null ? null : observation.openScope()) {
            return ParslAsyncInvoker.unwrap(call.proceed());
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
