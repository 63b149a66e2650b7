package org.parsl.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.App;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.dataflow.TaskState;
import org.parsl.executors.ExecutorStatus;
import org.parsl.executors.ThreadPoolExecutor;
import org.parsl.executors.hazelcast.HazelcastExecutor;
import org.parsl.monitoring.MonitoringStore;
import org.parsl.monitoring.TaskFailure;
import org.parsl.monitoring.TaskTryRecord;
import org.parsl.providers.LocalProvider;

/**
 * Metrics and monitoring records of a DataFlowKernel with a thread pool and a Hazelcast executor
 * whose local provider starts one worker JVM (two slots) on loopback.
 */
class HazelcastObservabilityIT {

    @TempDir
    Path runDir;

    @Test
    void metersAndRecordsShowTheWorkerAndWhatRanOnIt() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Config config = Config.builder()
                .executor(new ThreadPoolExecutor("cpu", 2))
                .executor(HazelcastExecutor.builder("gpu").maxWorkersPerNode(2)
                        .clusterName("parsl-obs-it-" + UUID.randomUUID())
                        .port(20_000 + ThreadLocalRandom.current().nextInt(30_000))
                        .provider(LocalProvider.builder().initBlocks(1).minBlocks(1).maxBlocks(1).build()).build())
                .retries(1).strategy("none").runDir(runDir).build();
        MonitoringStore store = MonitoringStore.builder().jsonLines(runDir.resolve("monitoring.jsonl")).build();
        try (DataFlowKernel dfk = Parsl.load(config); ParslMetrics metrics = new ParslMetrics(dfk)) {
            metrics.bindTo(registry);
            dfk.addListener(store);
            App<Integer> inc = App.of(dfk, (Integer x) -> x + 1);
            App<Integer> fail = App.of(dfk, (Integer x) -> {
                throw new IllegalStateException("remote failure " + x);
            });
            List<AppFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.add(inc.onExecutors("gpu").call(i));
                all.add(inc.onExecutors("cpu").call(i));
            }
            AppFuture<Integer> failed = fail.onExecutors("gpu").call(7);
            all.add(failed);
            AppFuture<Integer> dependent = inc.onExecutors("gpu").call(failed);
            all.add(dependent);
            for (AppFuture<?> f : all) {
                try {
                    f.get(180, TimeUnit.SECONDS); // the first gpu task waits for the worker JVM
                } catch (java.util.concurrent.ExecutionException e) {
                    // counted below
                }
            }

            assertThat(registry.get("parsl.tasks.completed").tag("executor", "gpu").tag("outcome", "success").counter().count()).isEqualTo(5);
            assertThat(registry.get("parsl.tasks.completed").tag("executor", "gpu").tag("outcome", "failed").counter().count()).isEqualTo(1);
            assertThat(registry.get("parsl.tasks.completed").tag("executor", "none").tag("outcome", "dep_fail").counter().count()).isEqualTo(1);
            assertThat(registry.get("parsl.tasks.completed").tag("executor", "cpu").tag("outcome", "success").counter().count()).isEqualTo(5);
            assertThat(registry.get("parsl.tasks.retries").tag("executor", "gpu").counter().count()).isEqualTo(1);
            assertThat(registry.get("parsl.task.duration").tag("executor", "gpu").tag("outcome", "failed").timer().count()).isEqualTo(2);
            assertThat(registry.get("parsl.task.queue.wait").tag("executor", "gpu").timer().count()).isEqualTo(7);

            ExecutorStatus gpu = dfk.executorStatuses().get(1);
            assertThat(gpu.type()).isEqualTo("hazelcast");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registry.get("parsl.workers.connected").tag("executor", "gpu").gauge().value()).isEqualTo(1);
                assertThat(registry.get("parsl.workers.slots").tag("executor", "gpu").gauge().value()).isEqualTo(2);
                assertThat(registry.get("parsl.blocks.active").tag("executor", "gpu").gauge().value()).isEqualTo(1);
                assertThat(registry.get("parsl.tasks.running").tag("executor", "gpu").gauge().value()).isZero();
            });

            TaskFailure f = store.recentFailures().get(1);
            assertThat(f.taskId()).isEqualTo(failed.taskId());
            assertThat(f.state()).isEqualTo(TaskState.FAILED);
            assertThat(f.executor()).isEqualTo("gpu");
            assertThat(f.tries()).isEqualTo(2);
            assertThat(f.exception()).isEqualTo(IllegalStateException.class.getName());
            assertThat(f.message()).isEqualTo("remote failure 7");
            assertThat(store.recentFailures().get(0).state()).isEqualTo(TaskState.DEP_FAIL);
            TaskTryRecord remoteTry = store.records(failed.taskId()).stream()
                    .filter(TaskTryRecord.class::isInstance).map(TaskTryRecord.class::cast).findFirst().orElseThrow();
            assertThat(remoteTry.executor()).isEqualTo("gpu");
            assertThat(remoteTry.worker()).isEqualTo(gpu.workers().get(0).id());
        } finally {
            store.close();
        }
    }
}
