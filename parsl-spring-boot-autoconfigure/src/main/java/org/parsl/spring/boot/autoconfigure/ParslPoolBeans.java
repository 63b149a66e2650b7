package org.parsl.spring.boot.autoconfigure;

import java.util.List;

import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.DataFlowKernel;

/**
 * The factory of the per-label {@link ParslPoolExecutor} beans: a public static method, so that Spring
 * AOT can call it from the code it generates.
 */
public final class ParslPoolBeans {

    private ParslPoolBeans() {
    }

    /** The pool over the executor {@code label} of the DataFlowKernel. */
    public static ParslPoolExecutor pool(DataFlowKernel dfk, String label) {
        return new ParslPoolExecutor(dfk, List.of(label));
    }
}
