/** {@link org.parsl.concurrent.ParslPoolExecutor}: a {@code java.util.concurrent.ExecutorService} over a DataFlowKernel. */
package org.parsl.concurrent;
