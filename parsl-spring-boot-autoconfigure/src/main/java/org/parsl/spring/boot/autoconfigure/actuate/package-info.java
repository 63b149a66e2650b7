/**
 * Observability of the DataFlowKernel bean: the {@code parsl} health contributor, Micrometer
 * meters ({@link org.parsl.metrics.ParslMetrics}), the read-only {@code parsl} actuator endpoint,
 * and the monitoring records it reads ({@code parsl.monitoring.*}). Each concern has its own
 * auto-configuration, active only when its Spring Boot module (health, actuator, Micrometer) is on
 * the class path and there is one {@code DataFlowKernel} bean.
 */
package org.parsl.spring.boot.autoconfigure.actuate;
