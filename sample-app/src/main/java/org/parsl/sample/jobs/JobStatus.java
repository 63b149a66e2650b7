package org.parsl.sample.jobs;

import java.util.List;

/**
 * What {@code GET /jobs/{id}} returns.
 *
 * @param id               the job's id
 * @param state            RUNNING, SUCCEEDED or FAILED
 * @param samples          paths the job simulates
 * @param chunks           gpu tasks it was split into
 * @param seed             seed of its random streams
 * @param progress         chunks simulated and reduced so far
 * @param elapsedMillis    time since the job started (until it finished, once it has)
 * @param samplesPerSecond paths reduced per second so far
 * @param result           the estimate, once the job succeeded
 * @param error            why the job failed, once it failed
 */
public record JobStatus(long id, Job.State state, long samples, int chunks, long seed, Progress progress,
        long elapsedMillis, double samplesPerSecond, Result result, String error) {

    /**
     * @param completed chunks whose result went through the reduce step on {@code cpu}
     * @param simulated chunks whose simulation on {@code gpu} finished
     * @param total     chunks in the job
     */
    public record Progress(int completed, int simulated, int total) {
    }

    /**
     * @param price          the Monte Carlo price of the option
     * @param standardError  its standard error
     * @param confidence95   the 95% confidence interval, [low, high]
     * @param blackScholes   the exact (Black–Scholes) price, for comparison
     * @param workerPids     process ids of the worker JVMs that simulated the chunks
     * @param reducerPids    process ids of the JVMs that ran the reduce steps (this service)
     * @param servicePid     process id of this service
     * @param retriedChunks  chunks that failed on their first try and were retried
     */
    public record Result(double price, double standardError, List<Double> confidence95, double blackScholes,
            List<Long> workerPids, List<Long> reducerPids, long servicePid, int retriedChunks) {
    }
}
