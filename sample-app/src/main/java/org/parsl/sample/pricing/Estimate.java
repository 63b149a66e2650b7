package org.parsl.sample.pricing;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The running reduction of a job's chunk results: an immutable value, so each reduce step on the
 * {@code cpu} pool returns a new one and steps can be chained through futures.
 *
 * @param chunks         chunks folded in
 * @param samples        paths folded in
 * @param sum            sum of discounted payoffs
 * @param sumOfSquares   sum of their squares
 * @param workerPids     process ids of the JVMs that simulated the chunks
 * @param reducerPids    process ids of the JVMs that ran the reduce steps
 * @param retriedChunks  chunks whose first try failed and that were run again
 */
public record Estimate(int chunks, long samples, double sum, double sumOfSquares, List<Long> workerPids,
        List<Long> reducerPids, int retriedChunks) {

    /** Nothing folded in yet. */
    public static final Estimate EMPTY = new Estimate(0, 0, 0, 0, List.of(), List.of(), 0);

    public Estimate {
        workerPids = List.copyOf(workerPids);
        reducerPids = List.copyOf(reducerPids);
    }

    /** This estimate with {@code result} folded in; the reduce step, run as a task on the {@code cpu} pool. */
    public Estimate plus(ChunkResult result) {
        return new Estimate(chunks + 1, samples + result.samples(), sum + result.sum(),
                sumOfSquares + result.sumOfSquares(), with(workerPids, result.workerPid()),
                with(reducerPids, ProcessHandle.current().pid()), retriedChunks + (result.retried() ? 1 : 0));
    }

    /** The Monte Carlo price: the mean discounted payoff. */
    public double price() {
        return samples == 0 ? Double.NaN : sum / samples;
    }

    /** Standard error of {@link #price()}: sample standard deviation over the square root of the sample count. */
    public double standardError() {
        if (samples < 2) {
            return Double.NaN;
        }
        double mean = sum / samples;
        double variance = Math.max(0, (sumOfSquares - samples * mean * mean) / (samples - 1));
        return Math.sqrt(variance / samples);
    }

    private static List<Long> with(List<Long> pids, long pid) {
        if (pids.contains(pid)) {
            return pids;
        }
        SortedSet<Long> sorted = new TreeSet<>(pids);
        sorted.add(pid);
        return List.copyOf(sorted);
    }
}
