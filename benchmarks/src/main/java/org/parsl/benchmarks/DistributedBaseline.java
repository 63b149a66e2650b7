package org.parsl.benchmarks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;

/** The baseline of the distributed benchmarks: Hazelcast's own IExecutorService with two member JVMs. */
final class DistributedBaseline implements AutoCloseable {

    static final class NoOp implements Callable<Integer>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return 1;
        }
    }

    /** A task with a 1 KB argument that returns a 1 KB result. */
    static final class Echo1k implements Callable<byte[]>, Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] data;

        Echo1k(byte[] data) {
            this.data = data;
        }

        @Override
        public byte[] call() {
            byte[] out = new byte[data.length];
            out[0] = data[0];
            return out;
        }
    }

    /**
     * Sequential round trips before the latency rows measure, ours and the baseline's alike: the JIT
     * compiles a lone task's path (the inline sends, a worker's wake-up) only after some tens of
     * thousands (with 10,000, three measured rounds in a row went 0.27, 0.18, 0.16 ms for us, 0.13,
     * 0.10, 0.11 ms for the baseline).
     */
    static final int LATENCY_WARM_UP = 30_000;

    /**
     * The least number of tasks run before the throughput rows measure, ours and the baseline's alike,
     * whatever the size of a measured round ({@code --quick} too); then rounds go on until two in a
     * row gain nothing ({@link Rounds#steadyRate}). Measured with per-thread CPU from {@code /proc}: after
     * 10,000 tasks both sides' JVMs were still compiling (C2 took half of all CPU in the measured
     * rounds), and the rate of either side doubled or tripled over the next 200,000 tasks.
     */
    static final int THROUGHPUT_WARM_UP = 200_000;

    private final HazelcastMembers.Children children = new HazelcastMembers.Children();
    private final HazelcastInstance hz;
    private final List<Member> workers = new ArrayList<>();

    DistributedBaseline() throws Exception {
        String cluster = "bench-" + UUID.randomUUID();
        int port = HazelcastMembers.freePortBase();
        StringBuilder list = new StringBuilder();
        for (int p = port; p < port + 3; p++) {
            list.append(list.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        String members = list.toString();
        System.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        hz = Hazelcast.newHazelcastInstance(HazelcastMembers.config(cluster, port, members));
        children.start(cluster, port, members);
        children.start(cluster, port, members);
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.localMember()) {
                workers.add(m);
            }
        }
        if (workers.size() != 2) {
            throw new IllegalStateException("expected 2 worker members, got " + workers);
        }
    }

    /** n no-op tasks alternating between the two worker members; tasks per second. */
    double throughput(int n) throws Exception {
        IExecutorService exec = hz.getExecutorService("bench");
        NoOp task = new NoOp();
        return Rounds.steadyRate(n, THROUGHPUT_WARM_UP, 10 * THROUGHPUT_WARM_UP, size -> {
            List<Future<Integer>> futures = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                futures.add(exec.submitToMember(task, workers.get(i & 1)));
            }
            for (Future<Integer> f : futures) {
                f.get();
            }
        });
    }

    /** n tasks with a 1 KB argument and a 1 KB result, alternating between the two worker members; tasks per second. */
    double throughput1k(int n) throws Exception {
        IExecutorService exec = hz.getExecutorService("bench");
        byte[] kb = new byte[1024];
        return Rounds.steadyRate(n, THROUGHPUT_WARM_UP, 10 * THROUGHPUT_WARM_UP, size -> {
            List<Future<byte[]>> futures = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                futures.add(exec.submitToMember(new Echo1k(kb), workers.get(i & 1)));
            }
            for (Future<byte[]> f : futures) {
                f.get();
            }
        });
    }

    /** Round trips of n sequential tasks, in milliseconds, sorted. */
    double[] latencies(int n) throws Exception {
        IExecutorService exec = hz.getExecutorService("bench");
        NoOp task = new NoOp();
        for (int i = 0; i < LATENCY_WARM_UP; i++) {
            exec.submitToMember(task, workers.get(i & 1)).get();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            exec.submitToMember(task, workers.get(i & 1)).get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    @Override
    public void close() throws Exception {
        try {
            hz.shutdown();
        } finally {
            children.close();
        }
    }
}
