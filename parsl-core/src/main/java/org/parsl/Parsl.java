package org.parsl;

import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;

/** The entry point: loads a {@link Config} into a running {@link DataFlowKernel}. */
public final class Parsl {

    private Parsl() {
    }

    /**
     * Creates and starts a new DataFlowKernel: makes its run directory under {@code config.runDir()}
     * and starts its executors. There is no global DataFlowKernel: each call returns a new one, and a
     * config may be loaded any number of times. Close it ({@code try}-with-resources) when done.
     *
     * @throws IllegalArgumentException if config is null
     */
    public static DataFlowKernel load(Config config) {
        return DataFlowKernel.start(config);
    }
}
