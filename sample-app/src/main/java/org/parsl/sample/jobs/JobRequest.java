package org.parsl.sample.jobs;

import org.parsl.sample.SampleProperties;
import org.parsl.sample.pricing.EuropeanCall;

/**
 * The body of {@code POST /jobs}; every field is optional. Prices {@link EuropeanCall#AT_THE_MONEY}.
 *
 * @param samples paths to simulate (default 2,000,000)
 * @param chunks  gpu tasks to split them into (default 16)
 * @param seed    seed of the random streams (default 42): the same request gives the same price
 */
public record JobRequest(Long samples, Integer chunks, Long seed) {

    static final long DEFAULT_SAMPLES = 2_000_000;
    static final int DEFAULT_CHUNKS = 16;
    static final long DEFAULT_SEED = 42;

    /**
     * The request with defaults filled in.
     *
     * @throws InvalidJobRequestException naming the bad field; a {@link JobTooLargeException}, naming
     *         the limit and its property too, when the request is over one of the limits
     */
    JobSpec validate(SampleProperties.Limits limits) {
        long n = samples == null ? DEFAULT_SAMPLES : samples;
        int c = chunks == null ? DEFAULT_CHUNKS : chunks;
        if (n <= 0) {
            throw new InvalidJobRequestException("samples", n, "samples must be positive, got " + n);
        }
        if (n > limits.maxSamples()) {
            throw new JobTooLargeException("samples", n, limits.maxSamples(), SampleProperties.Limits.MAX_SAMPLES);
        }
        if (c <= 0) {
            throw new InvalidJobRequestException("chunks", c, "chunks must be positive, got " + c);
        }
        if (c > limits.maxChunks()) {
            throw new JobTooLargeException("chunks", c, limits.maxChunks(), SampleProperties.Limits.MAX_CHUNKS);
        }
        if (c > n) {
            throw new InvalidJobRequestException("chunks", c,
                    "chunks must not exceed samples (" + n + "), got " + c);
        }
        return new JobSpec(n, c, seed == null ? DEFAULT_SEED : seed, EuropeanCall.AT_THE_MONEY);
    }

    /** A validated request. */
    record JobSpec(long samples, int chunks, long seed, EuropeanCall option) {

        /** Paths of chunk {@code index}: the samples spread as evenly as possible. */
        long samplesOf(int index) {
            return samples / chunks + (index < samples % chunks ? 1 : 0);
        }
    }
}
