package org.parsl.monitoring;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends monitoring records to a file, one JSON object a line, on its own daemon thread
 * ({@code parsl-monitoring-writer}), so that task threads only hand a record over. When the writer
 * falls {@value #QUEUE_CAPACITY} records behind, new records are dropped (and counted) rather than
 * slowing the tasks down.
 */
final class JsonLinesWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JsonLinesWriter.class);
    static final int QUEUE_CAPACITY = 65_536;
    private static final Object STOP = new Object();

    private final Path file;
    private final ObjectWriter json;
    private final BufferedWriter out;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    JsonLinesWriter(Path file) {
        this.file = file;
        this.json = JsonMapper.builder().build().writerFor(MonitoringRecord.class);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the monitoring file " + file.toAbsolutePath()
                    + ": make its directory writable or turn the JSON-lines file off", e);
        }
        this.thread = new Thread(this::run, "parsl-monitoring-writer");
        thread.setDaemon(true);
        thread.start();
    }

    Path file() {
        return file;
    }

    long dropped() {
        return dropped.sum();
    }

    /** Hands a record over; never blocks. */
    void accept(MonitoringRecord record) {
        if (closed.get()) {
            return;
        }
        if (!queue.offer(record)) {
            dropped.increment();
            if (warned.compareAndSet(false, true)) {
                log.warn("monitoring file {} is {} records behind: dropping records", file, QUEUE_CAPACITY);
            }
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(256);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 1023);
                for (Object o : batch) {
                    if (o == STOP) {
                        out.flush();
                        return;
                    }
                    write((MonitoringRecord) o);
                }
                batch.clear();
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("cannot write the monitoring file {}: monitoring records are no longer written", file, e);
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("cannot close the monitoring file {}", file, e);
            }
        }
    }

    private void write(MonitoringRecord record) throws IOException {
        String line;
        try {
            line = json.writeValueAsString(record);
        } catch (JacksonException e) {
            log.warn("cannot write monitoring record {} as JSON", record, e);
            return;
        }
        out.write(line);
        out.write('\n');
    }

    /** Writes what was handed over, then closes the file; waits at most 10 s. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!queue.offer(STOP, 10, TimeUnit.SECONDS)) {
                thread.interrupt();
            }
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
    }
}
