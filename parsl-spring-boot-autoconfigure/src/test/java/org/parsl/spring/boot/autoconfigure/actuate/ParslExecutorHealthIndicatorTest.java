package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

class ParslExecutorHealthIndicatorTest {

    @TempDir
    Path runDir;

    @Test
    void oneChildPerExecutorInConfigOrder() {
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2))
                .executor(new BreakableExecutor("gpu", 1)).runDir(runDir).build())) {
            CompositeHealthContributor parsl = ParslExecutorHealthIndicator.of(dfk);
            assertThat(parsl.stream().map(e -> e.name())).containsExactly("cpu", "gpu");
        }
    }

    @Test
    void upWithItsDetailsWhileTheExecutorCanTakeWork() {
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2)).runDir(runDir).build())) {
            Health health = child(dfk, "cpu");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).doesNotContainKey("reason").containsEntry("type", "thread-pool")
                    .containsEntry("connectedWorkers", 2).containsEntry("slots", 2).containsEntry("activeBlocks", 0)
                    .containsEntry("tasksRunning", 0);
        }
    }

    @Test
    void downWithTheProblemTheExecutorReportsWhileTheOthersStayUp() {
        BreakableExecutor gpu = new BreakableExecutor("gpu", 1);
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2))
                .executor(gpu).runDir(runDir).build())) {
            gpu.breakWith("lost its Hazelcast connection");
            assertThat(child(dfk, "gpu").getStatus()).isEqualTo(Status.DOWN);
            assertThat(child(dfk, "gpu").getDetails()).containsEntry("reason", "lost its Hazelcast connection");
            assertThat(child(dfk, "cpu").getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void anExecutorScalingUpFromZeroWorkersIsNotDown() {
        BreakableExecutor gpu = new BreakableExecutor("gpu", 1);
        gpu.reportNoWorkers();
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(gpu).runDir(runDir).build())) {
            assertThat(child(dfk, "gpu").getStatus()).isEqualTo(Status.UP);
            assertThat(child(dfk, "gpu").getDetails()).containsEntry("connectedWorkers", 0);
        }
    }

    @Test
    void downWhenTheDataFlowKernelIsClosed() {
        DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).runDir(runDir).build());
        dfk.close();
        assertThat(child(dfk, "cpu").getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) child(dfk, "cpu").getDetails().get("reason")).startsWith("the DataFlowKernel is closed");
    }

    private static Health child(DataFlowKernel dfk, String label) {
        return ((HealthIndicator) ParslExecutorHealthIndicator.of(dfk).getContributor(label)).health(true);
    }
}
