package org.parsl.executors;

import java.nio.file.Path;

import org.parsl.config.Config;

/**
 * What a DataFlowKernel hands an executor it starts.
 *
 * @param runId a unique id of the DataFlowKernel (results of distributed executors are routed by it)
 * @param runDir the DataFlowKernel's own run directory (logs, checkpoints); it exists
 * @param config the config being loaded
 */
public record ExecutorContext(String runId, Path runDir, Config config) {
}
