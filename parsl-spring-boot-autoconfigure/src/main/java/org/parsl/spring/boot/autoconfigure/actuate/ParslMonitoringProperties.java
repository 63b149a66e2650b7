package org.parsl.spring.boot.autoconfigure.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Monitoring records of the DataFlowKernel ({@code parsl.monitoring.*}): the in-memory store the
 * {@code parsl} actuator endpoint reads, and an optional JSON-lines file in the run directory.
 */
@ConfigurationProperties("parsl.monitoring")
public class ParslMonitoringProperties {

    /** Whether to keep monitoring records (task state changes, tries, recent failures). */
    private boolean enabled = true;

    /** How many records (task state changes and ended tries) to keep in memory. */
    private int capacity = 10_000;

    /** How many failed tasks to keep for the endpoint's "recentFailures". */
    private int recentFailures = 50;

    /** Whether to also append every record to "monitoring.jsonl" in the run directory, one JSON object a line. */
    private boolean jsonLines = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getCapacity() {
        return capacity;
    }

    public void setCapacity(int capacity) {
        this.capacity = capacity;
    }

    public int getRecentFailures() {
        return recentFailures;
    }

    public void setRecentFailures(int recentFailures) {
        this.recentFailures = recentFailures;
    }

    public boolean isJsonLines() {
        return jsonLines;
    }

    public void setJsonLines(boolean jsonLines) {
        this.jsonLines = jsonLines;
    }
}
