package org.parsl.dataflow;

import java.util.List;

/**
 * A read-only view of a task, as listeners and retry handlers see it. Its values change while the
 * task runs; read them on the thread that was handed the record.
 */
public interface TaskRecord {

    /** The task's id, unique within its DataFlowKernel, from 1. */
    long id();

    /** The function's name ({@code inc}, {@code lambda$main$0}). */
    String functionName();

    /** The label of the executor of the latest try, or {@code null} before the first launch. */
    String executor();

    /** Every try so far, oldest first; a finished try has its end time and, if it failed, its failure. */
    List<TaskTry> tries();

    /** The state now. */
    TaskState state();
}
