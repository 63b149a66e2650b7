package org.parsl.dataflow;

import org.parsl.app.TaskCallable;

/**
 * Binds a task's function to its resolved arguments, making the body an executor runs. Apps supply
 * one; the DataFlowKernel calls it once per try, when every dependency has its value.
 */
@FunctionalInterface
public interface TaskBinder {

    /**
     * @param resolvedArgs the task's arguments with every future replaced by its value
     * @return the body to run (serializable, for distributed executors)
     * @throws Exception to fail the task (e.g. an argument that cannot be encoded)
     */
    TaskCallable<?> bind(Object[] resolvedArgs) throws Exception;
}
