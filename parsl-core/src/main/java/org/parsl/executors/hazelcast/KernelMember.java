package org.parsl.executors.hazelcast;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * The DataFlowKernel's Hazelcast member for one executor: the application's own instance, or an
 * embedded one started with the safe defaults of {@link Channels#member} and a cluster name derived
 * from the secret. Knows the address and cluster name workers must use, and stops only what it started.
 */
final class KernelMember {

    private static final Logger log = LoggerFactory.getLogger(KernelMember.class);

    final HazelcastInstance hz;
    final boolean owned;
    /**
     * The cluster name workers are given: the configured one, from which they derive the real one with
     * the secret (so the real name, which admits to the cluster, is never written anywhere), or the
     * given instance's own name, used as it is.
     */
    final String clusterName;
    /** Whether {@link #clusterName} is used as it is (a given instance). */
    final boolean literalClusterName;
    final String address;

    /** @param port the first port an embedded member tries (it moves up when taken) */
    KernelMember(HazelcastExecutor spec, String label, String secret, int port) {
        if (spec.hazelcastInstance != null) {
            this.hz = spec.hazelcastInstance;
            this.owned = false;
            try {
                hz.getCluster().getLocalMember();
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("executor '" + label + "': the given HazelcastInstance is a client; give a member"
                        + " (Hazelcast.newHazelcastInstance), or none to start an embedded one", e);
            }
            this.clusterName = hz.getConfig().getClusterName();
            this.literalClusterName = true;
            JavaSerializationFilterConfig filter = hz.getConfig().getSerializationConfig().getJavaSerializationFilterConfig();
            if (filter == null) {
                log.warn("executor '{}': the given HazelcastInstance has no Java serialization filter, so anyone who can join its"
                        + " cluster can have objects deserialized in this JVM; set SerializationConfig.setJavaSerializationFilterConfig"
                        + " (see the README's security section)", label);
            }
        } else {
            this.clusterName = spec.clusterName;
            this.literalClusterName = false;
            this.hz = Hazelcast.newHazelcastInstance(Channels.member(Channels.clusterName(spec.clusterName, secret), spec.memberInterface,
                    port, spec.memberAddresses));
            this.owned = true;
        }
        Address a = hz.getCluster().getLocalMember().getAddress();
        this.address = a.getHost() + ":" + a.getPort();
    }

    /** The member's host: where the executor's link server listens too. */
    String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    boolean isRunning() {
        return hz.getLifecycleService().isRunning();
    }

    List<String> addresses() {
        return List.of(address);
    }

    void stop() {
        if (owned) {
            hz.shutdown();
        }
    }
}
