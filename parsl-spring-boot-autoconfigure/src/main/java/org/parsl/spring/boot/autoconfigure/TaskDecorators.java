package org.parsl.spring.boot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

/** The application's {@link TaskDecorator} beans as one, composed in order as Boot composes them for its own executor. */
final class TaskDecorators {

    private TaskDecorators() {
    }

    /** All of them in order, the only one, or {@code null} when there is none. */
    static TaskDecorator compose(ObjectProvider<TaskDecorator> decorators) {
        List<TaskDecorator> all = decorators.orderedStream().toList();
        if (all.isEmpty()) {
            return null;
        }
        return all.size() == 1 ? all.get(0) : new CompositeTaskDecorator(all);
    }
}
