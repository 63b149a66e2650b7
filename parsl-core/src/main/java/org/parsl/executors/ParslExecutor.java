package org.parsl.executors;

/**
 * The executor SPI: a named description of where tasks run, which a DataFlowKernel starts.
 *
 * <p>An executor object is an immutable specification (it lives in an immutable {@code Config}). Each
 * DataFlowKernel that loads the config calls {@link #start(ExecutorContext)} once and gets its own
 * {@link RunningExecutor}, so a config may be loaded any number of times.
 */
public interface ParslExecutor {

    /** The executor's label, unique within a config; tasks name executors by it. */
    String label();

    /**
     * Starts this executor for one DataFlowKernel.
     *
     * @param context the run directory and settings of the DataFlowKernel that starts it
     * @return the running executor, owned (and stopped) by that DataFlowKernel
     */
    RunningExecutor start(ExecutorContext context);
}
