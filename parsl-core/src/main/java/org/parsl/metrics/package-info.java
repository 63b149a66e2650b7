/**
 * Micrometer metrics of a DataFlowKernel: {@link org.parsl.metrics.ParslMetrics} is a
 * {@code MeterBinder} with the meter names of the design's contract ({@code parsl.tasks.*},
 * {@code parsl.task.*}, {@code parsl.workers.*}, {@code parsl.blocks.active}). Micrometer is an
 * optional dependency of parsl-core: this package is usable only when it is on the class path.
 */
package org.parsl.metrics;
