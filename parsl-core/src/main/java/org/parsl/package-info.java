/**
 * Parsl for the JVM: {@link org.parsl.Parsl#load(org.parsl.config.Config)} starts a
 * {@link org.parsl.dataflow.DataFlowKernel} from a {@link org.parsl.config.Config}.
 */
package org.parsl;
