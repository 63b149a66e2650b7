package org.parsl.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.spring.boot.it.Samples.Sample;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Graceful shutdown of the starter's context, with its own context (a cached test context is never closed). */
class ParslShutdownIT {

    @Test
    void closingTheContextLetsARunningRemoteTaskFinishAndLeavesNoWorkerProcess() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ItApplication.class)
                .profiles("it")
                .run("--parsl.hazelcast.cluster-name=parsl-it-" + UUID.randomUUID(),
                        "--parsl.hazelcast.port=" + ParslStarterIT.freePort(),
                        "--parsl.shutdown-timeout=60s");
        Samples samples = context.getBean(Samples.class);
        DataFlowKernel dfk = context.getBean(DataFlowKernel.class);
        long workerPid = samples.sample("warm-up", List.of()).get(120, TimeUnit.SECONDS).pid();
        assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
        Set<Long> children = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        assertThat(children).contains(workerPid);

        CompletableFuture<Sample> running = samples.work(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> dfk.taskStateCount(TaskState.RUNNING) == 1);
        context.close();

        assertThat(running).isCompleted();
        assertThat(running.get().name()).isEqualTo("worked");
        assertThat(running.get().pid()).isEqualTo(workerPid);
        assertThat(dfk.isClosed()).isTrue();
        for (long pid : children) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d outlived the context", pid).isFalse();
        }
    }
}
