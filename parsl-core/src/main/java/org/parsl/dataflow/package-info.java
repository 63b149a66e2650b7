/**
 * The DataFlowKernel and what it tracks: task records and states, futures, dependency resolution,
 * retries, memoization and task listeners.
 *
 * <p>The kernel's duties are split into one-job classes: {@code Task} (a task's state machine and
 * tries; compare-and-set transitions so that completion, cancellation and retries race safely),
 * {@code StateCounters} (lock-free per-state counts), {@code Memoizer} (the memo table),
 * {@code Trampoline} (reactions to completions run without recursion) and the
 * {@link org.parsl.dataflow.DataFlowKernel} itself, which finds dependencies, launches, and owns
 * the lifecycle.
 */
package org.parsl.dataflow;
