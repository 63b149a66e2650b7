package org.parsl.sample.pricing;

/**
 * What a worker sends back for one {@link Chunk}: the sums the reduce step needs, and where and how
 * the chunk ran.
 *
 * @param jobId        the chunk's job
 * @param index        the chunk's position in its job
 * @param samples      paths simulated
 * @param sum          sum of the discounted payoffs
 * @param sumOfSquares sum of their squares (for the standard error)
 * @param workerPid    process id of the JVM that simulated the chunk
 * @param retried      whether an earlier try of this chunk failed
 * @param millis       time the simulation took on the worker
 */
public record ChunkResult(long jobId, int index, long samples, double sum, double sumOfSquares, long workerPid,
        boolean retried, long millis) {

    ChunkResult asRetried() {
        return new ChunkResult(jobId, index, samples, sum, sumOfSquares, workerPid, true, millis);
    }
}
