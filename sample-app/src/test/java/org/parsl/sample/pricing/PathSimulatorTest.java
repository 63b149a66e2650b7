package org.parsl.sample.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathSimulatorTest {

    private final PathSimulator simulator = new PathSimulator();

    @Test
    void chunkWithAMarkerFailsOnItsFirstTryOnlyAndIsFlaggedAsRetried(@TempDir Path dir) {
        Chunk chunk = new Chunk(5, 2, 1000, 42, EuropeanCall.AT_THE_MONEY, dir.resolve("m").toString());
        assertThatThrownBy(() -> simulator.simulate(chunk)).isInstanceOf(TransientSimulationException.class)
                .hasMessageContaining("first try of chunk 2 of job 5");
        ChunkResult retried = simulator.simulate(chunk).join();
        assertThat(retried.retried()).isTrue();
        assertThat(retried.sum()).isEqualTo(chunk.simulate().sum());
    }

    @Test
    void chunkWithoutAMarkerRunsAtOnce() {
        Chunk chunk = new Chunk(5, 0, 1000, 42, EuropeanCall.AT_THE_MONEY, null);
        ChunkResult result = simulator.simulate(chunk).join();
        assertThat(result.retried()).isFalse();
        assertThat(result.samples()).isEqualTo(1000);
        assertThat(result.workerPid()).isEqualTo(ProcessHandle.current().pid());
    }
}
