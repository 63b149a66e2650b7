package org.parsl.executors.hazelcast;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;

/**
 * The Hazelcast structures the executor and its workers share (one home for their names), the real
 * cluster name derived from the secret, and the safe configurations of the embedded member and of
 * the worker clients.
 */
final class Channels {

    /** The one class name on the Java-serialization allowlist: no class has it, so nothing is admitted. */
    static final String NOTHING = "org.parsl.executors.hazelcast.NothingIsJavaSerialized";

    private Channels() {
    }

    /** The channel of result frames for one DataFlowKernel (its run id), on its links. */
    static String resultQueue(String runId) {
        return "parsl.results." + runId;
    }

    /** Task frames of one executor (label and run id) on its links to workers; the frames' channel. */
    static String linkTasks(String label, String runId) {
        return "parsl.tasks." + label + "." + runId;
    }

    /** The map where the link servers of a label's executors say where they listen (run id to an endpoint frame). */
    static String linkMap(String label) {
        return "parsl.links." + label;
    }

    /** The channel of a handshake frame: the label, the run id, and the receiver's fresh challenge (so no handshake replays). */
    static String linkHandshake(String label, String runId, byte[] challenge) {
        return "parsl.link." + label + "." + runId + "." + HexFormat.of().formatHex(challenge);
    }

    /** Heartbeat frames of the workers of one label, read by every DataFlowKernel with that label. */
    static String heartbeatTopic(String label) {
        return "parsl.heartbeats." + label;
    }

    /** Control frames (cancel requests) for the workers of one label. */
    static String controlTopic(String label) {
        return "parsl.control." + label;
    }

    /**
     * The Hazelcast cluster name: {@code <configured>-<HMAC-SHA256(secret, configured), 16 hex digits>}.
     * Open-source Hazelcast admits any member or client that presents the cluster name, so the name is
     * made from the secret: who does not know the secret cannot find the name and cannot connect.
     */
    static String clusterName(String configured, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal(("parsl/cluster-name/v1/" + configured).getBytes(StandardCharsets.UTF_8));
            return configured + "-" + HexFormat.of().formatHex(tag, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * Hazelcast writes a message on the calling thread, and handles a response on the I/O thread that
     * read it, only while it has not seen two invocations pending at once within this window; else it
     * hands both to other threads (to batch under load). Tasks and results no longer go through
     * Hazelcast (they travel on links), but its calls that remain — heartbeats, announcements, cancel
     * requests — keep the direct path with a window of 0. (When tasks went through queues, with one
     * waiting poll always pending, this took a round trip from 0.31–0.40 ms to 0.23 ms.) Set on the
     * embedded member and on workers' clients only, never on an application's own member.
     */
    static final String NO_CONCURRENCY_WINDOW = "0";

    /**
     * Refuses every class Hazelcast would read with Java serialization: only {@code byte[]} and
     * strings travel, which Hazelcast reads with its own serializers, so a stranger's object (a gadget,
     * a {@code Callable} for the executor service, an entry processor, a predicate) is never built.
     */
    static JavaSerializationFilterConfig serializationFilter() {
        ClassFilter allowed = new ClassFilter();
        allowed.addClasses(NOTHING); // a non-empty allowlist is enforced; the defaults are off
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true).setWhitelist(allowed);
    }

    /**
     * An embedded member: bound to {@code iface} only, no multicast or auto-detection, TCP-IP join
     * only when member addresses are given (a lone member starts at once), Java serialization refused.
     */
    static Config member(String clusterName, String iface, int port, List<String> memberAddresses) {
        Config c = new Config();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.logging.details.enabled", "false"); // log lines would carry the (secret-derived) cluster name
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // The executor stops its member when its DataFlowKernel is cleaned up (also from Spring's graceful
        // shutdown on SIGTERM); Hazelcast's own hook would stop the member first, cutting the workers off.
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.concurrent.window.ms", NO_CONCURRENCY_WINDOW);
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(port).setPortAutoIncrement(true).setPortCount(100);
        n.getInterfaces().setEnabled(true).addInterface(iface);
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(!memberAddresses.isEmpty()).setMembers(memberAddresses);
        SerializationConfig s = c.getSerializationConfig();
        s.setJavaSerializationFilterConfig(serializationFilter());
        c.getJetConfig().setEnabled(false);
        c.getMetricsConfig().setEnabled(false);
        return c;
    }

    /** A worker's client: connects to the given member addresses; gives up after {@code connectTimeoutMillis} (-1: never). */
    static ClientConfig client(String clusterName, String instanceName, List<String> members, long connectTimeoutMillis) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setInstanceName(instanceName);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.logging.details.enabled", "false");
        c.setProperty("hazelcast.client.concurrent.window.ms", NO_CONCURRENCY_WINDOW);
        c.getSerializationConfig().setJavaSerializationFilterConfig(serializationFilter());
        c.getNetworkConfig().setAddresses(new ArrayList<>(members)).setSmartRouting(true);
        c.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setInitialBackoffMillis(100).setMaxBackoffMillis(2_000)
                .setClusterConnectTimeoutMillis(connectTimeoutMillis);
        c.getMetricsConfig().setEnabled(false);
        return c;
    }
}
