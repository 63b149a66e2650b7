package org.parsl.executors.hazelcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.parsl.executors.ExecutorContext;
import org.parsl.executors.ParslExecutor;
import org.parsl.executors.RunningExecutor;
import org.parsl.providers.ExecutionProvider;
import org.parsl.providers.LocalProvider;

import com.hazelcast.core.HazelcastInstance;

/**
 * Runs tasks in worker JVMs connected to a Hazelcast cluster (Parsl's HighThroughputExecutor, on
 * Hazelcast). The executor uses a Hazelcast member — the one given with
 * {@link Builder#hazelcastInstance(HazelcastInstance)}, or an embedded one it starts on
 * {@code 127.0.0.1} — and its provider's workers ({@link HazelcastWorker}) connect to it as clients
 * and pull tasks. See the package documentation for the topology, and the README for the settings.
 *
 * <pre>{@code
 * HazelcastExecutor.builder("gpu")
 *         .maxWorkersPerNode(2)
 *         .provider(LocalProvider.builder().initBlocks(1).maxBlocks(2).build())
 *         .build();
 * }</pre>
 */
public final class HazelcastExecutor implements ParslExecutor {

    private final String label;
    final int maxWorkersPerNode;
    final int prefetchCapacity;
    final Duration heartbeatPeriod;
    final Duration heartbeatThreshold;
    final List<String> availableAccelerators;
    final ExecutionProvider provider;
    final HazelcastInstance hazelcastInstance;
    final String clusterName;
    final String secret;
    final List<String> allowedPackages;
    final String memberInterface;
    final int port;
    final List<String> memberAddresses;

    private HazelcastExecutor(Builder b) {
        this.label = b.label;
        this.maxWorkersPerNode = b.maxWorkersPerNode;
        this.prefetchCapacity = b.prefetchCapacity;
        this.heartbeatPeriod = b.heartbeatPeriod;
        this.heartbeatThreshold = b.heartbeatThreshold;
        this.availableAccelerators = List.copyOf(b.availableAccelerators);
        this.provider = b.provider;
        this.hazelcastInstance = b.hazelcastInstance;
        this.clusterName = b.clusterName;
        this.secret = b.secret;
        this.allowedPackages = List.copyOf(b.allowedPackages);
        this.memberInterface = b.memberInterface;
        this.port = b.port;
        this.memberAddresses = List.copyOf(b.memberAddresses);
    }

    /** A builder for an executor with this label. */
    public static Builder builder(String label) {
        return new Builder(label);
    }

    @Override
    public String label() {
        return label;
    }

    /** Task slots per worker JVM (the number of accelerators when those are given). */
    public int slotsPerWorker() {
        return availableAccelerators.isEmpty() ? maxWorkersPerNode : Math.min(maxWorkersPerNode, availableAccelerators.size());
    }

    /** The provider of worker blocks. */
    public ExecutionProvider provider() {
        return provider;
    }

    /** The configured secret, if one was set (otherwise one is generated per run). */
    public Optional<String> secret() {
        return Optional.ofNullable(secret);
    }

    @Override
    public RunningExecutor start(ExecutorContext context) {
        return new HazelcastRunningExecutor(this, context);
    }

    @Override
    public String toString() {
        return "HazelcastExecutor[" + label + ", maxWorkersPerNode=" + maxWorkersPerNode + ", prefetchCapacity="
                + prefetchCapacity + ", provider=" + provider + ", clusterName=" + clusterName + "]";
    }

    /** Collects the settings of a {@link HazelcastExecutor}; {@link #build()} checks them all at once. */
    public static final class Builder {
        private final String label;
        private int maxWorkersPerNode = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int prefetchCapacity = 0;
        private Duration heartbeatPeriod = Duration.ofSeconds(1);
        private Duration heartbeatThreshold = Duration.ofSeconds(10);
        private List<String> availableAccelerators = List.of();
        private ExecutionProvider provider = LocalProvider.builder().build();
        private HazelcastInstance hazelcastInstance;
        private String clusterName = "parsl";
        private String secret;
        private List<String> allowedPackages = List.of();
        private String memberInterface = "127.0.0.1";
        private int port = 5701;
        private List<String> memberAddresses = List.of();

        private Builder(String label) {
            this.label = label;
        }

        /** Task slots per worker JVM (tasks it runs at once); default: this machine's processors. */
        public Builder maxWorkersPerNode(int maxWorkersPerNode) {
            this.maxWorkersPerNode = maxWorkersPerNode;
            return this;
        }

        /**
         * Tasks a worker takes beyond its free slots, so the next task is at hand when one ends
         * (Parsl's {@code prefetch_capacity}); default 0. Raise it (e.g. 256) for many short tasks.
         */
        public Builder prefetchCapacity(int prefetchCapacity) {
            this.prefetchCapacity = prefetchCapacity;
            return this;
        }

        /** How often workers report that they are alive; default 1 s. */
        public Builder heartbeatPeriod(Duration heartbeatPeriod) {
            this.heartbeatPeriod = heartbeatPeriod;
            return this;
        }

        /** A worker silent this long is lost, and its tasks fail with {@link WorkerLost}; default 10 s. */
        public Builder heartbeatThreshold(Duration heartbeatThreshold) {
            this.heartbeatThreshold = heartbeatThreshold;
            return this;
        }

        /** Accelerators (e.g. GPU ids) of each worker node: one slot per accelerator, pinned to it. */
        public Builder availableAccelerators(List<String> availableAccelerators) {
            this.availableAccelerators = List.copyOf(Objects.requireNonNull(availableAccelerators, "availableAccelerators must not be null"));
            return this;
        }

        /** Where workers come from; default {@code LocalProvider.builder().build()} (one local worker JVM). */
        public Builder provider(ExecutionProvider provider) {
            this.provider = provider;
            return this;
        }

        /** A Hazelcast member to use (the application's own); otherwise an embedded member is started per run. */
        public Builder hazelcastInstance(HazelcastInstance hazelcastInstance) {
            this.hazelcastInstance = hazelcastInstance;
            return this;
        }

        /** The cluster name of the embedded member and of the workers; default {@code parsl}. */
        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        /**
         * The shared secret: every frame is encrypted and authenticated with a key derived from it
         * (AES-256-GCM), and the real Hazelcast cluster name is derived from it, so who does not know it can
         * neither connect nor read or forge anything; workers must have the same. Default: generated per
         * run and handed to the workers this executor launches (in their environment, never on a command
         * line).
         */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /** Packages (besides {@code org.parsl} and the JDK's value types) whose classes tasks and results may use. */
        public Builder allowedPackages(Collection<String> allowedPackages) {
            this.allowedPackages = List.copyOf(Objects.requireNonNull(allowedPackages, "allowedPackages must not be null"));
            return this;
        }

        /** The address the embedded member binds to; default {@code 127.0.0.1} (this machine only). */
        public Builder memberInterface(String memberInterface) {
            this.memberInterface = memberInterface;
            return this;
        }

        /** The first port the embedded member tries (it moves up when taken); default 5701. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Other members the embedded member joins by TCP-IP ({@code host:port}); default none. */
        public Builder memberAddresses(List<String> memberAddresses) {
            this.memberAddresses = List.copyOf(Objects.requireNonNull(memberAddresses, "memberAddresses must not be null"));
            return this;
        }

        /**
         * The executor.
         *
         * @throws IllegalArgumentException naming every bad setting and what to change
         */
        public HazelcastExecutor build() {
            List<String> problems = new ArrayList<>();
            if (label == null || label.isBlank()) {
                problems.add("label is blank: give the executor a name such as 'gpu'");
            }
            if (maxWorkersPerNode < 1) {
                problems.add("maxWorkersPerNode is " + maxWorkersPerNode + ": it must be at least 1");
            }
            if (prefetchCapacity < 0) {
                problems.add("prefetchCapacity is " + prefetchCapacity + ": it must be 0 or more");
            }
            if (heartbeatPeriod == null || heartbeatPeriod.isNegative() || heartbeatPeriod.isZero()) {
                problems.add("heartbeatPeriod is " + heartbeatPeriod + ": it must be positive");
            } else if (heartbeatThreshold == null || heartbeatThreshold.compareTo(heartbeatPeriod.multipliedBy(2)) < 0) {
                problems.add("heartbeatThreshold is " + heartbeatThreshold + ": it must be at least twice heartbeatPeriod (" + heartbeatPeriod + ")");
            }
            if (provider == null) {
                problems.add("provider is null: use LocalProvider.builder().build() or new ExternalProvider()");
            }
            if (clusterName == null || clusterName.isBlank()) {
                problems.add("clusterName is blank");
            }
            if (secret != null && secret.length() < 8) {
                problems.add("secret is shorter than 8 characters: use a long random string, or leave it unset to generate one per run");
            }
            if (memberInterface == null || memberInterface.isBlank()) {
                problems.add("memberInterface is blank: use 127.0.0.1 or the address of a local network interface");
            }
            if (port < 1 || port > 65535) {
                problems.add("port is " + port + ": it must be in 1..65535");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid HazelcastExecutor '" + label + "': " + String.join("; ", problems));
            }
            return new HazelcastExecutor(this);
        }
    }
}
