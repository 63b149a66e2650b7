package org.parsl.spring.boot.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/** {@code @Async} methods on the test's two executors; each reports the PID of the JVM it ran in. */
@Service
public class Samples {

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

    @Async("cpu")
    public CompletableFuture<Sample> local(String name) {
        return CompletableFuture.completedFuture(new Sample(pid(), name + "@" + Thread.currentThread().getName(), List.of(), Instant.EPOCH));
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }
}
