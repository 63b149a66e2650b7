package org.parsl.spring.boot.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.parsl.app.TaskCallable;

/**
 * The body of an {@code @Async} call sent to a worker: which bean and method to call, and the
 * arguments as JSON. It runs on a worker — this same application in worker mode — which calls its own
 * bean through the {@link ParslAsyncInvoker} it registered as a worker service, and returns the result
 * as JSON. With the call travel the caller's context (MDC, string thread-locals: {@link CallerContext})
 * and the propagation headers of the task's trace, which the worker restores around the call.
 * Only strings travel, so the payload needs no allow-listed classes besides these. When a
 * pool mixes local and distributed executors and the call lands on a local one, the invoker of the
 * submitting application (kept in a transient field) runs it.
 */
final class RemoteBeanCall implements TaskCallable<String> {

    private static final long serialVersionUID = 1L;

    private final String beanName;
    private final String beanClass;
    private final String method;
    private final List<String> parameterTypes;
    private final List<String> jsonArgs;
    private final CallerContext caller;
    private final HashMap<String, String> trace;
    private final transient ParslAsyncInvoker local;

    /**
     * @param beanName the bean's name in the application context
     * @param beanClass the bean's (user) class name
     * @param method the method's name
     * @param parameterTypes the method's parameter types (erased class names)
     * @param jsonArgs the arguments as JSON, futures replaced by their values
     * @param caller the caller's context, restored around the call
     * @param trace the propagation headers of the task's trace (empty without tracing)
     * @param local the submitting application's invoker, for calls that land on a local executor
     */
    RemoteBeanCall(String beanName, String beanClass, String method, List<String> parameterTypes,
            List<String> jsonArgs, CallerContext caller, Map<String, String> trace, ParslAsyncInvoker local) {
        this.beanName = beanName;
        this.beanClass = beanClass;
        this.method = method;
        this.parameterTypes = List.copyOf(parameterTypes);
        this.jsonArgs = jsonArgs;
        this.caller = caller == null ? CallerContext.EMPTY : caller;
        this.trace = new HashMap<>(trace == null ? Map.of() : trace);
        this.local = local;
    }

    @Override
    public String call() throws Exception {
        ParslAsyncInvoker invoker = local != null ? local : WorkerServices.invoker();
        return invoker.invoke(this);
    }

    String beanName() {
        return beanName;
    }

    String beanClass() {
        return beanClass;
    }

    String method() {
        return method;
    }

    List<String> parameterTypes() {
        return parameterTypes;
    }

    List<String> jsonArgs() {
        return jsonArgs;
    }

    CallerContext caller() {
        return caller;
    }

    Map<String, String> trace() {
        return trace;
    }

    /** The method, as {@code Class.method(Type, ...)}, for messages and task names. */
    String signature() {
        String simple = beanClass.substring(beanClass.lastIndexOf('.') + 1);
        return simple + "." + method + "(" + String.join(", ", parameterTypes.stream()
                .map(t -> t.substring(t.lastIndexOf('.') + 1)).toList()) + ")";
    }

    @Override
    public String toString() {
        return "@Async call " + signature() + " on bean '" + beanName + "'";
    }
}
