package org.parsl.executors.hazelcast;

import java.util.List;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.QueueConfig;

/**
 * The names of the Hazelcast structures the executor and its workers share, and the safe default
 * configurations of the embedded member and of the worker clients (see package documentation).
 */
final class Topology {

    /** Tasks of one executor label, one item per task, shared by every DataFlowKernel with that label. */
    static String taskQueue(String label) {
        return "parsl.tasks." + label;
    }

    /** Result frames for one DataFlowKernel (its run id). */
    static String resultQueue(String runId) {
        return "parsl.results." + runId;
    }

    /** Signed cancel requests for the workers of one label. */
    static String cancelTopic(String label) {
        return "parsl.cancel." + label;
    }

    /** Worker id to heartbeat (see {@link Heartbeat}). */
    static final String WORKERS = "parsl.workers";

    private Topology() {
    }

    /**
     * An embedded member: bound to {@code iface} only, no multicast or auto-detection, TCP-IP join
     * only when member addresses are given (a lone member starts at once), no backups of the
     * transient task and result queues (a lost item is a lost try, which the DataFlowKernel retries).
     */
    static Config member(String clusterName, String iface, int port, List<String> memberAddresses) {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // The executor stops its member when its DataFlowKernel is cleaned up (also from Spring's graceful
        // shutdown on SIGTERM); Hazelcast's own hook would stop the member first, cutting the workers off
        // while they stop, so they are killed after a timeout instead of stopping cleanly.
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(true).setPortCount(100);
        n.getInterfaces().setEnabled(true).addInterface(iface);
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(!memberAddresses.isEmpty()).setMembers(memberAddresses);
        addStructureConfigs(c);
        return c;
    }

    static void addStructureConfigs(Config c) {
        c.addQueueConfig(new QueueConfig("parsl.*").setBackupCount(0).setAsyncBackupCount(0));
        c.addMapConfig(new MapConfig("parsl.*").setBackupCount(0).setAsyncBackupCount(0));
    }

    /** A worker's client: connects to the given member addresses, retries forever unless told otherwise. */
    static ClientConfig client(String clusterName, String instanceName, List<String> members, long connectTimeoutMillis) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setInstanceName(instanceName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.getNetworkConfig().setAddresses(new java.util.ArrayList<>(members)).setSmartRouting(true);
        c.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setInitialBackoffMillis(100).setMaxBackoffMillis(2_000)
                .setClusterConnectTimeoutMillis(connectTimeoutMillis);
        c.getMetricsConfig().setEnabled(false);
        return c;
    }
}
