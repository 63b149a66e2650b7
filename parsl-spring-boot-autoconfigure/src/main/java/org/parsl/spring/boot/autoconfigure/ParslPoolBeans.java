package org.parsl.spring.boot.autoconfigure;

import java.util.List;

import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.DataFlowKernel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskDecorator;

/**
 * The factory of the {@link ParslPoolExecutor} beans: public static methods, so that Spring AOT can
 * call them from the code it generates. A pool whose executors are all thread pools wraps its tasks
 * with the application's {@link TaskDecorator} beans (composed as Boot composes them), as Boot's
 * {@code applicationTaskExecutor} does.
 */
public final class ParslPoolBeans {

    private ParslPoolBeans() {
    }

    /** The pool over the executor {@code label} of the DataFlowKernel. */
    public static ParslPoolExecutor pool(DataFlowKernel dfk, String label, ObjectProvider<TaskDecorator> taskDecorators) {
        return create(dfk, List.of(label), taskDecorators);
    }

    /** A pool over the executors (all of them when empty), its local tasks decorated by the task decorators. */
    static ParslPoolExecutor create(DataFlowKernel dfk, List<String> labels, ObjectProvider<TaskDecorator> taskDecorators) {
        TaskDecorator decorator = taskDecorators == null ? null : TaskDecorators.compose(taskDecorators);
        return decorator == null ? new ParslPoolExecutor(dfk, labels) : new ParslPoolExecutor(dfk, labels, decorator::decorate);
    }
}
