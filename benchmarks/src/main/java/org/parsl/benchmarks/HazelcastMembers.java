package org.parsl.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * Plain Hazelcast members on loopback, for the baseline (Hazelcast's own IExecutorService). Run as a
 * child JVM: {@code HazelcastMembers <cluster> <port> <memberList>} starts one member, prints READY and
 * stops when its standard input closes.
 */
public final class HazelcastMembers {

    private HazelcastMembers() {
    }

    static Config config(String cluster, int port, String members) {
        return config(cluster, port, members, true);
    }

    /** A loopback member; {@code tunedJoin=false} keeps Hazelcast's default join timing. */
    static Config config(String cluster, int port, String members, boolean tunedJoin) {
        Config c = new Config();
        c.setClusterName(cluster);
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        if (tunedJoin) {
            c.setProperty("hazelcast.wait.seconds.before.join", "0");
            c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        }
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(true).setPortCount(10);
        n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = n.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember(members);
        return c;
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        boolean tuned = args.length < 4 || !"default".equals(args[3]);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config(args[0], Integer.parseInt(args[1]), args[2], tuned));
        System.out.println("READY " + hz.getCluster().getLocalMember().getAddress());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // wait for the parent to close our input
            }
        } finally {
            hz.shutdown();
        }
    }

    static int freePortBase() throws IOException {
        // a free port to start from; members auto-increment from it
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Child member JVMs, stopped by close(). */
    static final class Children implements AutoCloseable {
        final List<Process> processes = new ArrayList<>();

        Process start(String cluster, int port, String members) throws IOException {
            Process p = launch(cluster, port, members, "tuned");
            awaitReady(p);
            return p;
        }

        Process launch(String cluster, int port, String members, String join) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    HazelcastMembers.class.getName(), cluster, Integer.toString(port), members, join)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            return p;
        }

        void awaitReady(Process p) throws IOException {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("READY")) {
                    return;
                }
            }
            throw new IOException("member JVM exited before it was ready");
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : processes) {
                try {
                    p.getOutputStream().close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
            for (Process p : processes) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }
}
