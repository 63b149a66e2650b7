/**
 * Executors: the SPI ({@link org.parsl.executors.ParslExecutor} → {@link org.parsl.executors.RunningExecutor},
 * {@link org.parsl.executors.ExecutorTask}, {@link org.parsl.executors.TaskHandle}) and the local
 * {@link org.parsl.executors.ThreadPoolExecutor}.
 */
package org.parsl.executors;
