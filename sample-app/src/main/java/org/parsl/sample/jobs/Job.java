package org.parsl.sample.jobs;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.parsl.dataflow.DependencyError;
import org.parsl.sample.jobs.JobRequest.JobSpec;
import org.parsl.sample.pricing.Estimate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pricing job: its spec, its progress (updated from the futures' callbacks, on whichever thread
 * completes them) and its outcome.
 */
public final class Job {

    /** Where a job is. */
    public enum State { RUNNING, SUCCEEDED, FAILED }

    private static final Logger log = LoggerFactory.getLogger(Job.class);

    private final long id;
    private final JobSpec spec;
    private final long startedNanos = System.nanoTime();
    private final AtomicInteger simulated = new AtomicInteger();
    private final AtomicInteger reduced = new AtomicInteger();
    private final AtomicLong reducedSamples = new AtomicLong();
    private final CompletableFuture<Estimate> outcome = new CompletableFuture<>();
    private volatile long finishedNanos;

    Job(long id, JobSpec spec) {
        this.id = id;
        this.spec = spec;
    }

    public long id() {
        return id;
    }

    /** Completes with the final estimate, or exceptionally with the failure that ended the job. */
    public CompletableFuture<Estimate> outcome() {
        return outcome.copy();
    }

    void chunkSimulated() {
        simulated.incrementAndGet();
    }

    void chunkReduced(long samples) {
        reduced.incrementAndGet();
        reducedSamples.addAndGet(samples);
    }

    void finish(Estimate estimate, Throwable failure) {
        finishedNanos = System.nanoTime();
        if (failure == null) {
            outcome.complete(estimate);
        } else {
            outcome.completeExceptionally(rootCause(failure));
        }
    }

    State state() {
        if (!outcome.isDone()) {
            return State.RUNNING;
        }
        return outcome.isCompletedExceptionally() ? State.FAILED : State.SUCCEEDED;
    }

    JobStatus status() {
        long elapsed = elapsedNanos();
        JobStatus.Result result = null;
        String error = null;
        State state = state();
        if (state == State.SUCCEEDED) {
            result = result(outcome.join());
        } else if (state == State.FAILED) {
            error = failureMessage();
        }
        return new JobStatus(id, state, spec.samples(), spec.chunks(), spec.seed(),
                new JobStatus.Progress(reduced.get(), simulated.get(), spec.chunks()), elapsed / 1_000_000,
                rate(reducedSamples.get(), elapsed), result, error);
    }

    JobSpec spec() {
        return spec;
    }

    private JobStatus.Result result(Estimate estimate) {
        double price = estimate.price();
        double se = estimate.standardError();
        return new JobStatus.Result(price, se, List.of(price - 1.96 * se, price + 1.96 * se),
                spec.option().blackScholesPrice(), estimate.workerPids(), estimate.reducerPids(),
                ProcessHandle.current().pid(), estimate.retriedChunks());
    }

    private String failureMessage() {
        try {
            outcome.join();
            return null;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            return cause.getClass().getName() + ": " + cause.getMessage();
        }
    }

    void logProgress(int gpuWorkers) {
        log.info("job {}: {}/{} chunks done ({} simulated on gpu, {} gpu worker(s) connected), {} paths/s", id,
                reduced.get(), spec.chunks(), simulated.get(), gpuWorkers,
                String.format("%,.0f", rate(reducedSamples.get(), System.nanoTime() - startedNanos)));
    }

    private long elapsedNanos() {
        long finished = finishedNanos;
        return (finished != 0 ? finished : System.nanoTime()) - startedNanos;
    }

    private static double rate(long samples, long nanos) {
        return nanos <= 0 ? 0 : samples * 1e9 / nanos;
    }

    /** The failure that started it all: reduce steps after a failed chunk fail with DependencyError around it. */
    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof DependencyError) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
