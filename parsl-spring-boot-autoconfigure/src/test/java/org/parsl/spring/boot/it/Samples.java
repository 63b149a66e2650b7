package org.parsl.spring.boot.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.parsl.concurrent.ParslPoolExecutor;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/** {@code @Async} methods on the test's two executors; each reports the PID of the JVM it ran in. */
@Service
public class Samples {

    private final ParslPoolExecutor cpu;

    public Samples(@Qualifier("cpu") ParslPoolExecutor cpu) {
        this.cpu = cpu;
    }

    /** What a call returns: where it ran and what it computed. */
    public record Sample(long pid, String name, List<Integer> values, Instant at) {
    }

    @Async("gpu")
    public CompletableFuture<Sample> sample(String name, List<Integer> values) {
        return CompletableFuture.completedFuture(new Sample(pid(), name, values, Instant.parse("2026-11-25T00:00:00Z")));
    }

    @Async("gpu")
    public CompletableFuture<List<Sample>> samples(List<String> names) {
        return CompletableFuture.completedFuture(names.stream()
                .map(n -> new Sample(pid(), n, List.of(n.length()), Instant.EPOCH)).toList());
    }

    @Async("gpu")
    public CompletableFuture<Sample> after(CompletableFuture<Integer> first, int second) {
        return CompletableFuture.completedFuture(new Sample(pid(), "sum", List.of(first.join() + second), Instant.EPOCH));
    }

    /** Simulated work of the given length (the work itself, not coordination, so a sleep). */
    @Async("gpu")
    public CompletableFuture<Sample> work(Duration length) throws InterruptedException {
        Thread.sleep(length.toMillis());
        return CompletableFuture.completedFuture(new Sample(pid(), "worked", List.of(), Instant.EPOCH));
    }

    /**
     * Runs on a worker and submits work of its own to the {@code cpu} pool there: the worker's pools run
     * in the worker's JVM. Returns the PID and thread of the nested task.
     */
    @Async("gpu")
    public CompletableFuture<Sample> nested(String name) throws Exception {
        String thread = cpu.submit(() -> ProcessHandle.current().pid() + "@" + Thread.currentThread().getName()).get();
        return CompletableFuture.completedFuture(new Sample(pid(), name + ":" + thread, List.of(), Instant.EPOCH));
    }

    /** The MDC value under the key, where the method runs. */
    @Async("gpu")
    public CompletableFuture<Sample> mdc(String key) {
        return CompletableFuture.completedFuture(new Sample(pid(), String.valueOf(MDC.get(key)), List.of(), Instant.EPOCH));
    }

    /** The MDC value under the key, where the method runs. */
    @Async("cpu")
    public CompletableFuture<Sample> mdcLocal(String key) {
        return CompletableFuture.completedFuture(new Sample(pid(), String.valueOf(MDC.get(key)), List.of(), Instant.EPOCH));
    }

    @Async("cpu")
    public CompletableFuture<Sample> local(String name) {
        return CompletableFuture.completedFuture(new Sample(pid(), name + "@" + Thread.currentThread().getName(), List.of(), Instant.EPOCH));
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }
}
