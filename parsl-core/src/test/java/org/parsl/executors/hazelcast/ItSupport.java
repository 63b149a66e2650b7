package org.parsl.executors.hazelcast;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.parsl.dataflow.DataFlowKernel;
import org.parsl.executors.RunningExecutor;

/** Helpers of the integration tests: unique cluster names, random base ports, access to the running executor. */
final class ItSupport {

    private ItSupport() {
    }

    /** Every test executor's configured cluster name (the real one is derived from it and the run's secret). */
    static final String CLUSTER_BASE = "parsl-it-" + UUID.randomUUID();

    static String uniqueCluster() {
        return "parsl-it-" + UUID.randomUUID();
    }

    /** A random base port; the member moves up from it when taken, so parallel runs never clash. */
    static int randomPort() {
        return 20_000 + ThreadLocalRandom.current().nextInt(30_000);
    }

    static HazelcastExecutor.Builder executor(String label) {
        return HazelcastExecutor.builder(label).clusterName(CLUSTER_BASE).port(randomPort());
    }

    static HazelcastRunningExecutor running(DataFlowKernel dfk, String label) {
        try {
            java.lang.reflect.Field f = DataFlowKernel.class.getDeclaredField("executors");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            java.util.Map<String, RunningExecutor> map = (java.util.Map<String, RunningExecutor>) f.get(dfk);
            return (HazelcastRunningExecutor) map.get(label);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Long> blockPids(DataFlowKernel dfk, String label) {
        return running(dfk, label).blockPids();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
