package org.parsl.monitoring;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.parsl.dataflow.DependencyError;
import org.parsl.dataflow.TaskListener;
import org.parsl.dataflow.TaskRecord;
import org.parsl.dataflow.TaskState;
import org.parsl.dataflow.TaskTry;

/**
 * Parsl's monitoring records, in memory: a {@link TaskListener} that keeps the last
 * {@link Builder#capacity(int) capacity} task state changes and ended tries, and the last
 * {@link Builder#recentFailures(int) recentFailures} failed tasks, in bounded rings that can be
 * queried at any time. Optionally it also appends every record to a JSON-lines file (for example
 * {@code monitoring.jsonl} in the run directory), so that a run can be inspected afterwards.
 *
 * <pre>{@code
 * MonitoringStore store = MonitoringStore.builder()
 *         .jsonLines(dfk.runDir().resolve("monitoring.jsonl")).build();
 * dfk.addListener(store);
 * ...
 * store.records(taskId);     // that task's state changes and tries, oldest first
 * store.close();             // flushes the file
 * }</pre>
 *
 * <p>Thread-safe and lock-free: the listener methods only allocate a record and write a ring slot
 * (and offer the record to the file writer's queue); queries copy a snapshot.
 */
public final class MonitoringStore implements TaskListener, AutoCloseable {

    private final Ring<MonitoringRecord> records;
    private final Ring<TaskFailure> failures;
    private final JsonLinesWriter writer;

    private MonitoringStore(Builder b) {
        this.records = new Ring<>(b.capacity);
        this.failures = new Ring<>(b.recentFailures);
        this.writer = b.jsonLines == null ? null : new JsonLinesWriter(b.jsonLines);
    }

    /** A builder with the defaults: 10,000 records, 50 recent failures, no file. */
    public static Builder builder() {
        return new Builder();
    }

    // --- listening

    @Override
    public void stateChanged(TaskRecord task, TaskState from, TaskState to) {
        long seq = records.claim();
        Instant now = Instant.now();
        TaskStatusRecord r = new TaskStatusRecord(seq, now, task.id(), task.functionName(), task.executor(), from, to);
        records.put(seq, r);
        if (writer != null) {
            writer.accept(r);
        }
        if (to == TaskState.FAILED || to == TaskState.DEP_FAIL) {
            recordFailure(task, to, now);
        }
    }

    private void recordFailure(TaskRecord task, TaskState to, Instant now) {
        List<TaskTry> tries = task.tries();
        String exception = null;
        String message = null;
        if (to == TaskState.DEP_FAIL) {
            exception = DependencyError.class.getName();
        } else if (!tries.isEmpty() && tries.get(tries.size() - 1).failure() != null) {
            Throwable t = tries.get(tries.size() - 1).failure();
            exception = t.getClass().getName();
            message = t.getMessage();
        }
        long seq = failures.claim();
        failures.put(seq, new TaskFailure(now, task.id(), task.functionName(), task.executor(), to, tries.size(),
                exception, message));
    }

    @Override
    public void tryEnded(TaskRecord task, TaskTry attempt) {
        long seq = records.claim();
        Throwable failure = attempt.failure();
        TaskTryRecord r = new TaskTryRecord(seq, Instant.now(), task.id(), task.functionName(), attempt.number(),
                attempt.executor(), attempt.worker(), attempt.queueWait(), attempt.runTime(),
                failure == null ? null : failure.getClass().getName(), failure == null ? null : failure.getMessage());
        records.put(seq, r);
        if (writer != null) {
            writer.accept(r);
        }
    }

    // --- queries

    /** The records held (the last {@link #capacity()}), oldest first. */
    public List<MonitoringRecord> records() {
        return Collections.unmodifiableList(records.snapshot());
    }

    /** The records held of one task, oldest first; empty if none are held (any more). */
    public List<MonitoringRecord> records(long taskId) {
        List<MonitoringRecord> list = new ArrayList<>();
        for (MonitoringRecord r : records.snapshot()) {
            if (r.taskId() == taskId) {
                list.add(r);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** The most recent failed tasks ({@code FAILED} or {@code DEP_FAIL}), newest first. */
    public List<TaskFailure> recentFailures() {
        List<TaskFailure> list = failures.snapshot();
        Collections.reverse(list);
        return Collections.unmodifiableList(list);
    }

    /** How many records were ever made; those beyond {@link #capacity()} were overwritten. */
    public long recordCount() {
        return records.count();
    }

    /** How many failed tasks were ever recorded. */
    public long failureCount() {
        return failures.count();
    }

    /** How many records are held at most. */
    public int capacity() {
        return records.capacity();
    }

    /** The JSON-lines file records are appended to, if any. */
    public Optional<Path> jsonLinesFile() {
        return writer == null ? Optional.empty() : Optional.of(writer.file());
    }

    /** Records not written to the JSON-lines file because its writer fell too far behind. */
    public long droppedFromFile() {
        return writer == null ? 0 : writer.dropped();
    }

    /**
     * Writes the records handed over so far to the JSON-lines file and closes it (waiting at most
     * 10 s); the in-memory records stay queryable. Remove the store from its DataFlowKernel's
     * listeners first. Idempotent.
     */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }

    @Override
    public String toString() {
        return "MonitoringStore[" + records.count() + " records, capacity " + records.capacity()
                + (writer == null ? "" : ", file " + writer.file()) + "]";
    }

    /** Settings of a {@link MonitoringStore}. */
    public static final class Builder {
        private int capacity = 10_000;
        private int recentFailures = 50;
        private Path jsonLines;

        private Builder() {
        }

        /** How many records (state changes and tries) to keep in memory; at least 1. Default 10,000. */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("monitoring capacity is " + capacity + ": it must be at least 1");
            }
            this.capacity = capacity;
            return this;
        }

        /** How many failed tasks to keep; at least 1. Default 50. */
        public Builder recentFailures(int recentFailures) {
            if (recentFailures < 1) {
                throw new IllegalArgumentException("monitoring recentFailures is " + recentFailures + ": it must be at least 1");
            }
            this.recentFailures = recentFailures;
            return this;
        }

        /** Also append every record to this file as a JSON line; {@code null} for none (the default). */
        public Builder jsonLines(Path file) {
            this.jsonLines = file;
            return this;
        }

        /**
         * The store; with a file, opens it for appending and starts its writer thread.
         *
         * @throws java.io.UncheckedIOException if the file cannot be opened
         */
        public MonitoringStore build() {
            return new MonitoringStore(this);
        }
    }
}
