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
     * Bounds on what a request may ask for.
     *
     * @param maxSamples most paths in one job
     * @param maxChunks  most chunks (gpu tasks) in one job
     */
    public record Limits(@DefaultValue("1000000000") long maxSamples, @DefaultValue("10000") int maxChunks) {
    }
}
