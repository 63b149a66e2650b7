package org.parsl.executors.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parsl.Parsl;
import org.parsl.app.TaskFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.config.Config;
import org.parsl.dataflow.AppFuture;
import org.parsl.dataflow.DataFlowKernel;
import org.parsl.providers.ExternalProvider;
import org.parsl.providers.LocalProvider;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Two DataFlowKernels on one member share one worker JVM; each gets its own results. */
class SharedPoolIT {

    @TempDir
    Path dir;

    @Test
    void twoDataFlowKernelsShareOneWorkerAndEachGetsItsOwnResults() throws Exception {
        String cluster = ItSupport.uniqueCluster();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(Channels.member(cluster, "127.0.0.1", ItSupport.randomPort(), List.of()));
        try {
            String secret = "a-secret-both-runs-share";
            Config launching = Config.builder().executor(HazelcastExecutor.builder("hz").hazelcastInstance(member).secret(secret)
                    .maxWorkersPerNode(2).prefetchCapacity(16)
                    .provider(LocalProvider.builder().initBlocks(1).build()).build())
                    .strategy("none").runDir(dir.resolve("a")).build();
            Config borrowing = Config.builder().executor(HazelcastExecutor.builder("hz").hazelcastInstance(member).secret(secret)
                    .provider(new ExternalProvider()).build())
                    .runDir(dir.resolve("b")).build();
            try (DataFlowKernel a = Parsl.load(launching); DataFlowKernel b = Parsl.load(borrowing);
                    ParslPoolExecutor poolA = new ParslPoolExecutor(a); ParslPoolExecutor poolB = new ParslPoolExecutor(b)) {
                TaskFunction<Integer, String> tagA = x -> "a" + x + "@" + WorkerContext.current().orElseThrow().workerId();
                TaskFunction<Integer, String> tagB = x -> "b" + x + "@" + WorkerContext.current().orElseThrow().workerId();
                List<AppFuture<String>> fa = new ArrayList<>();
                List<AppFuture<String>> fb = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    fa.add(poolA.submit(tagA, i));
                    fb.add(poolB.submit(tagB, i));
                }
                Set<String> workers = new HashSet<>();
                for (int i = 0; i < 300; i++) {
                    String ra = fa.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    String rb = fb.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(ra).startsWith("a" + i + "@");
                    assertThat(rb).startsWith("b" + i + "@");
                    workers.add(ra.substring(ra.indexOf('@') + 1));
                    workers.add(rb.substring(rb.indexOf('@') + 1));
                }
                assertThat(workers).hasSize(1);
            }
        } finally {
            member.shutdown();
        }
    }
}
