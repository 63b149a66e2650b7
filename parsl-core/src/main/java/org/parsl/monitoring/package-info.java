/**
 * Monitoring records of a DataFlowKernel, Parsl's monitoring database in small:
 * {@link org.parsl.monitoring.MonitoringStore} listens to task state changes and tries, keeps the
 * latest in bounded in-memory rings for queries (the Spring Boot actuator endpoint reads them), and
 * can append every record to a JSON-lines file in the run directory.
 */
package org.parsl.monitoring;
