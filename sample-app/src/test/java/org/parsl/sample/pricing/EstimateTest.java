package org.parsl.sample.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EstimateTest {

    @Test
    void foldsSumsCountsPidsAndRetries() {
        Estimate e = Estimate.EMPTY
                .plus(new ChunkResult(1, 0, 2, 4, 10, 200, false, 1))
                .plus(new ChunkResult(1, 1, 2, 8, 34, 100, true, 1))
                .plus(new ChunkResult(1, 2, 1, 3, 9, 200, false, 1));
        assertThat(e.chunks()).isEqualTo(3);
        assertThat(e.samples()).isEqualTo(5);
        assertThat(e.price()).isCloseTo(15.0 / 5, within(1e-12));
        assertThat(e.workerPids()).containsExactly(100L, 200L);
        assertThat(e.retriedChunks()).isEqualTo(1);
        assertThat(e.reducerPids()).containsExactly(ProcessHandle.current().pid());
    }

    @Test
    void standardErrorIsSampleStandardDeviationOverRootN() {
        // payoffs 1, 3: mean 2, sample variance 2, standard error sqrt(2 / 2) = 1
        Estimate e = Estimate.EMPTY.plus(new ChunkResult(1, 0, 2, 4, 10, 1, false, 0));
        assertThat(e.standardError()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void emptyEstimateHasNoPrice() {
        assertThat(Estimate.EMPTY.price()).isNaN();
        assertThat(Estimate.EMPTY.standardError()).isNaN();
    }
}
