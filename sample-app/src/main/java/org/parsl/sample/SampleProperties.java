package org.parsl.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's own settings, under {@code sample.*}.
 *
 * @param exitAfterDemo whether the application exits after the demo job (status 0 on success, 1 on
 *                      failure) instead of serving requests
 * @param demo          the job run at startup
 * @param limits        the largest job a request may start
 * @param injectTransientFailure whether one chunk of every job fails on its first try (and is retried)
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("false") boolean exitAfterDemo, @DefaultValue Demo demo,
        @DefaultValue Limits limits, @DefaultValue("true") boolean injectTransientFailure) {

    /**
     * The job run at startup.
     *
     * @param enabled whether to run it
     * @param samples paths to simulate
     * @param chunks  gpu tasks to split them into
     * @param seed    seed of the random streams
     */
    public record Demo(@DefaultValue("true") boolean enabled, @DefaultValue("4000000") long samples,
            @DefaultValue("16") int chunks, @DefaultValue("42") long seed) {
    }

    /**
     * Bounds on what the REST API takes on, so that one client cannot tie up the machine (the API has
     * no authentication; it listens on {@code server.address}, 127.0.0.1 unless set otherwise). A job's
     * work grows with its samples (one path each, simulated on the {@code gpu} workers) and its chunks
     * (two tasks each, one on {@code gpu} and one reduce step on {@code cpu}); the work running at once
     * is at most {@code maxRunningJobs} such jobs. A request over {@code maxSamples} or
     * {@code maxChunks} is answered 400, one more job than {@code maxRunningJobs} 429, each with a
     * problem detail that names the limit and its property.
     *
     * @param maxSamples     most paths in one job ({@code sample.limits.max-samples})
     * @param maxChunks      most chunks (gpu tasks) in one job ({@code sample.limits.max-chunks})
     * @param maxRunningJobs most jobs running at once, the demo job included
     *                       ({@code sample.limits.max-running-jobs})
     */
    public record Limits(@DefaultValue("100000000") long maxSamples, @DefaultValue("1000") int maxChunks,
            @DefaultValue("4") int maxRunningJobs) {

        /** The property names, as the answers and messages quote them. */
        public static final String MAX_SAMPLES = "sample.limits.max-samples";
        public static final String MAX_CHUNKS = "sample.limits.max-chunks";
        public static final String MAX_RUNNING_JOBS = "sample.limits.max-running-jobs";

        /**
         * @throws IllegalArgumentException naming the property when a limit is less than 1
         */
        public Limits {
            requireAtLeastOne(MAX_SAMPLES, maxSamples);
            requireAtLeastOne(MAX_CHUNKS, maxChunks);
            requireAtLeastOne(MAX_RUNNING_JOBS, maxRunningJobs);
        }

        private static void requireAtLeastOne(String property, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(property + " is " + value + ": it must be at least 1");
            }
        }
    }
}
