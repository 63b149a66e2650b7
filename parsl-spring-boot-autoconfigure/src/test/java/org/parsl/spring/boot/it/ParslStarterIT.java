package org.parsl.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.spring.boot.it.Samples.Sample;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter end to end: {@code application-it.yml} configures {@code cpu} (thread pool) and
 * {@code gpu} (Hazelcast, local provider), and the provider relaunches this test application as a
 * worker JVM.
 */
@SpringBootTest(classes = ItApplication.class)
@ActiveProfiles("it")
class ParslStarterIT {

    private static final long TEST_PID = ProcessHandle.current().pid();

    @DynamicPropertySource
    static void uniqueCluster(DynamicPropertyRegistry registry) {
        registry.add("parsl.hazelcast.cluster-name", () -> "parsl-it-" + UUID.randomUUID());
        registry.add("parsl.hazelcast.port", ParslStarterIT::freePort);
    }

    @Autowired
    Samples samples;

    @Autowired
    DataFlowKernel dfk;

    @Autowired
    PoolsController controller;

    @Autowired
    @Qualifier("gpu")
    ParslPoolExecutor gpu;

    @Test
    void asyncOnTheHazelcastLabelRunsInAWorkerJvmAndReturnsARecordIntact() throws Exception {
        Sample sample = samples.sample("first", List.of(1, 2, 3)).get(120, TimeUnit.SECONDS);
        assertThat(sample.pid()).isNotEqualTo(TEST_PID);
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).contains(sample.pid());
        assertThat(sample).isEqualTo(new Sample(sample.pid(), "first", List.of(1, 2, 3), sample.at()));
        assertThat(sample.at()).isEqualTo("2026-11-25T00:00:00Z");
    }

    @Test
    void aListOfRecordsComesBackAsRecords() throws Exception {
        List<Sample> list = samples.samples(List.of("a", "bb", "ccc")).get(120, TimeUnit.SECONDS);
        assertThat(list).extracting(Sample::name).containsExactly("a", "bb", "ccc");
        assertThat(list).extracting(Sample::values).containsExactly(List.of(1), List.of(2), List.of(3));
        assertThat(list).allSatisfy(s -> {
            assertThat(s).isInstanceOf(Sample.class);
            assertThat(s.pid()).isNotEqualTo(TEST_PID);
        });
    }

    @Test
    void asyncOnTheThreadPoolLabelRunsInThisJvm() throws Exception {
        Sample sample = samples.local("here").get(30, TimeUnit.SECONDS);
        assertThat(sample.pid()).isEqualTo(TEST_PID);
        assertThat(sample.name()).startsWith("here@parsl-cpu-worker-");
    }

    @Test
    void aCompletableFutureArgumentIsWaitedFor() throws Exception {
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Sample> sum = samples.after(first, 2);
        assertThat(sum).isNotDone();
        assertThat(dfk.taskStateCount(org.parsl.dataflow.TaskState.PENDING)).isGreaterThanOrEqualTo(1);
        first.complete(40);
        Sample result = sum.get(120, TimeUnit.SECONDS);
        assertThat(result.values()).containsExactly(42);
        assertThat(result.pid()).isNotEqualTo(TEST_PID);
    }

    @Test
    void aControllerInjectingBothPoolsByQualifierStartsOnTheWorkerAndTheCallRunsThere() throws Exception {
        assertThat(controller.pools()).isEqualTo("[cpu] [gpu] []");
        // the worker JVM is this application, controller included: the call completing shows it started
        Sample sample = controller.sample().get(120, TimeUnit.SECONDS);
        assertThat(sample.pid()).isNotEqualTo(TEST_PID);
    }

    @Test
    void aMethodRunningOnAWorkerSubmitsToTheWorkersOwnPool() throws Exception {
        Sample sample = samples.nested("outer").get(120, TimeUnit.SECONDS);
        assertThat(sample.pid()).isNotEqualTo(TEST_PID);
        assertThat(sample.name()).isEqualTo("outer:" + sample.pid() + "@parsl-cpu-worker-1")
                .as("the nested task ran in the worker's JVM");
    }

    @Test
    void theCallersMdcIsSeenOnTheWorker() throws Exception {
        MDC.put("request", "r-42");
        try {
            assertThat(samples.mdc("request").get(120, TimeUnit.SECONDS).name()).isEqualTo("r-42");
        } finally {
            MDC.remove("request");
        }
    }

    @Test
    void theCallersMdcIsSeenOnTheLocalPoolThroughTheTaskDecorator() throws Exception {
        MDC.put("request", "r-7");
        try {
            assertThat(samples.mdcLocal("request").get(30, TimeUnit.SECONDS).name()).isEqualTo("r-7");
        } finally {
            MDC.remove("request");
        }
    }

    @Test
    void thePoolBeansAreThoseOfTheYaml() {
        assertThat(dfk.executorLabels()).containsExactly("cpu", "gpu");
        assertThat(gpu.executors()).containsExactly("gpu");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
