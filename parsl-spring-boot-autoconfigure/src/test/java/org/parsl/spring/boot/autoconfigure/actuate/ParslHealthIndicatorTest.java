package org.parsl.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.config.Config;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.ThreadPoolExecutor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

@SuppressWarnings("unchecked")
class ParslHealthIndicatorTest {

    @TempDir
    Path runDir;

    @Test
    void upWithDetailsPerExecutorWhileEveryExecutorCanTakeWork() {
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2))
                .executor(new BreakableExecutor("gpu", 1)).runDir(runDir).build())) {
            Health health = new ParslHealthIndicator(dfk).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).doesNotContainKey("reason").containsEntry("tasksPending", 0L);
            Map<String, Object> cpu = (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("executors")).get("cpu");
            assertThat(cpu).containsEntry("type", "thread-pool").containsEntry("state", "UP")
                    .containsEntry("connectedWorkers", 2).containsEntry("slots", 2).containsEntry("activeBlocks", 0)
                    .containsEntry("tasksRunning", 0);
        }
    }

    @Test
    void downNamingTheExecutorAndItsProblemWhenAnExecutorBreaks() {
        BreakableExecutor gpu = new BreakableExecutor("gpu", 1);
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 2))
                .executor(gpu).runDir(runDir).build())) {
            gpu.breakWith("lost its Hazelcast connection");
            Health health = new ParslHealthIndicator(dfk).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", "executor 'gpu': lost its Hazelcast connection");
            Map<String, Object> executors = (Map<String, Object>) health.getDetails().get("executors");
            assertThat((Map<String, Object>) executors.get("gpu")).containsEntry("state", "DOWN")
                    .containsEntry("problem", "lost its Hazelcast connection");
            assertThat((Map<String, Object>) executors.get("cpu")).containsEntry("state", "UP");
        }
    }

    @Test
    void anExecutorScalingUpFromZeroWorkersIsNotDown() {
        BreakableExecutor gpu = new BreakableExecutor("gpu", 1);
        gpu.reportNoWorkers();
        try (DataFlowKernel dfk = Parsl.load(Config.builder().executor(gpu).runDir(runDir).build())) {
            Health health = new ParslHealthIndicator(dfk).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat((Map<String, Object>) ((Map<String, Object>) health.getDetails().get("executors")).get("gpu"))
                    .containsEntry("state", "UP").containsEntry("connectedWorkers", 0);
        }
    }

    @Test
    void downWhenTheDataFlowKernelIsClosed() {
        DataFlowKernel dfk = Parsl.load(Config.builder().executor(new ThreadPoolExecutor("cpu", 1)).runDir(runDir).build());
        dfk.close();
        Health health = new ParslHealthIndicator(dfk).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) health.getDetails().get("reason")).startsWith("the DataFlowKernel is closed");
    }
}
