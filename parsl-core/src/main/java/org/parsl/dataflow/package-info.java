/**
 * The DataFlowKernel and what it tracks: task records and states, futures, dependency resolution,
 * retries, memoization and task listeners.
 *
 * <p>The kernel's duties are split into one-job classes: {@code Task} (a task's state machine and
 * tries; compare-and-set transitions so that completion, cancellation and retries race safely),
 * {@code StateCounters} (per-state counts), {@code TaskRegistry} (the unfinished tasks' records),
 * {@code Admission} (the bound on unfinished tasks), {@code Memoizer} (the memo table),
 * {@code Trampoline} (reactions to completions run without recursion) and the
 * {@link org.parsl.dataflow.DataFlowKernel} itself, which finds dependencies, launches, and owns
 * the lifecycle.
 *
 * <p>The per-task path is built so that the submitting thread and the executor's threads share as
 * few written cache lines as possible — on a small machine those transfers, not the work, were what a
 * no-op task cost: counts that one side writes are kept apart from the other side's (two monotonic
 * counts instead of one up-down counter in {@code Admission} and {@link org.parsl.dataflow.TaskGroup};
 * {@code PaddedLong} for a count alone on its cache line), and what needs every unfinished task reads
 * the records when asked instead of being kept up to date per task ({@code StateCounters},
 * {@code TaskRegistry}).
 */
package org.parsl.dataflow;
