package org.parsl.sample.pricing;

import java.util.SplittableRandom;

/**
 * One slice of a pricing job: {@code samples} paths drawn from a random stream fixed by
 * {@code seed} and {@code index}, so a chunk gives the same numbers on whichever worker runs it and
 * on every retry. It travels to the workers as JSON.
 *
 * @param jobId   the job the chunk belongs to
 * @param index   position of the chunk in its job, from 0
 * @param samples paths to simulate
 * @param seed    the job's seed
 * @param option  the contract to price
 * @param failFirstTryMarker when not null, a file path: the first try of this chunk creates it and
 *                fails with a {@link TransientSimulationException} (the sample's deterministic
 *                demonstration of retries); later tries find it and run normally
 */
public record Chunk(long jobId, int index, long samples, long seed, EuropeanCall option, String failFirstTryMarker) {

    /** Simulates the chunk's paths in this thread; the pure computation, without failure injection. */
    public ChunkResult simulate() {
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        double sum = 0;
        double sumOfSquares = 0;
        for (long i = 0; i < samples; i++) {
            double payoff = option.discountedPayoff(random.nextGaussian());
            sum += payoff;
            sumOfSquares += payoff * payoff;
        }
        return new ChunkResult(jobId, index, samples, sum, sumOfSquares, ProcessHandle.current().pid(), false,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** A well-spread stream seed per chunk (SplitMix64's finaliser), so neighbouring chunks don't correlate. */
    private static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
