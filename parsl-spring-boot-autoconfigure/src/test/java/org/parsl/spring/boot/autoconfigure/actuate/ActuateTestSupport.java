package org.parsl.spring.boot.autoconfigure.actuate;

import java.nio.file.Path;

import org.parsl.Parsl;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;

/** A DataFlowKernel with one thread-pool executor, as the starter would make it. */
final class ActuateTestSupport {

    private ActuateTestSupport() {
    }

    static DataFlowKernel dfk(Path runDir) {
        return Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(runDir).build());
    }
}
