package org.parsl.sample.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkTest {

    private static Chunk chunk(int index, long samples, long seed) {
        return new Chunk(1, index, samples, seed, EuropeanCall.AT_THE_MONEY, null);
    }

    @Test
    void sameChunkGivesTheSameSumsWhereverAndWheneverItRuns() {
        ChunkResult first = chunk(3, 10_000, 42).simulate();
        ChunkResult again = chunk(3, 10_000, 42).simulate();
        assertThat(again.sum()).isEqualTo(first.sum());
        assertThat(again.sumOfSquares()).isEqualTo(first.sumOfSquares());
    }

    @Test
    void differentChunksDrawDifferentPaths() {
        assertThat(chunk(0, 10_000, 42).simulate().sum()).isNotEqualTo(chunk(1, 10_000, 42).simulate().sum());
    }

    @Test
    void chunksFoldedTogetherPriceTheCallWithinFourStandardErrorsOfBlackScholes() {
        Estimate estimate = Estimate.EMPTY;
        for (int i = 0; i < 8; i++) {
            estimate = estimate.plus(chunk(i, 50_000, 7).simulate());
        }
        assertThat(estimate.samples()).isEqualTo(400_000);
        assertThat(estimate.chunks()).isEqualTo(8);
        assertThat(estimate.standardError()).isBetween(0.01, 0.05);
        assertThat(Math.abs(estimate.price() - EuropeanCall.AT_THE_MONEY.blackScholesPrice()))
                .isLessThan(4 * estimate.standardError());
        assertThat(estimate.workerPids()).containsExactly(ProcessHandle.current().pid());
    }
}
