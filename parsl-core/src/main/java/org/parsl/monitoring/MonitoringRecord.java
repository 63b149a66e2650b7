package org.parsl.monitoring;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One monitoring record of a task: a state change ({@link TaskStatusRecord}) or the end of a try
 * ({@link TaskTryRecord}), as Parsl's monitoring database keeps them in its {@code status} and
 * {@code try} tables. In JSON a {@code "kind"} field tells which: {@code status} or {@code try}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TaskStatusRecord.class, name = "status"),
    @JsonSubTypes.Type(value = TaskTryRecord.class, name = "try")
})
public sealed interface MonitoringRecord permits TaskStatusRecord, TaskTryRecord {

    /** The record's number in its store, from 0, in the order the store received them. */
    long sequence();

    /** When it happened (wall clock). */
    Instant time();

    /** The task's id. */
    long taskId();

    /** The task's function name. */
    String function();
}
