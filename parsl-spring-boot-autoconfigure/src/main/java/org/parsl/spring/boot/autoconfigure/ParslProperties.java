package org.parsl.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code parsl.*} settings of a Spring Boot application: they become the {@code Config} of the
 * application's DataFlowKernel (and, with {@code parsl.worker.enabled=true}, the settings of a worker).
 * A key that is not one of these fails startup, naming the nearest valid one.
 */
@ConfigurationProperties("parsl")
public class ParslProperties {

    /** Whether to auto-configure Parsl at all. */
    private boolean enabled = true;

    /** How many times a failed task is tried again (0 = never); weighted by a RetryHandler bean, if any. */
    private int retries = 0;

    /** Directory under which each started DataFlowKernel makes its own numbered run directory (logs, worker output). */
    private Path runDir = Path.of("runinfo");

    /** Scaling strategy of executors whose workers are started by a provider: 'simple' (elastic) or 'none'. */
    private Strategy strategy = Strategy.SIMPLE;

    /** How often the scaling strategy looks at the load. */
    private Duration strategyPeriod = Duration.ofMillis(500);

    /** How long a block of workers may stay idle before the 'simple' strategy stops it. */
    private Duration maxIdleTime = Duration.ofMinutes(2);

    /**
     * Graceful stop: how long closing the application waits for submitted tasks to finish before it
     * cancels the rest. Raise spring.lifecycle.timeout-per-shutdown-phase too when this exceeds it.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * Packages (besides org.parsl and the JDK's value types) whose classes may travel to and from
     * Hazelcast workers; the application's own packages (those of its @SpringBootApplication) are
     * always added.
     */
    private List<String> allowedPackages = new ArrayList<>();

    /**
     * Executors, keyed by label: each becomes a ParslPoolExecutor bean named by the label, usable with
     * {@code @Qualifier("label")} and {@code @Async("label")}. Settings of each:
     * type (thread-pool | hazelcast), max-threads (thread-pool), max-workers-per-node,
     * prefetch-capacity, heartbeat-period, heartbeat-threshold, available-accelerators and provider.*
     * (hazelcast). With no executor configured, one thread-pool executor 'cpu' is used.
     */
    private final Map<String, Executor> executors = new LinkedHashMap<>();

    private final Hazelcast hazelcast = new Hazelcast();

    private final Worker worker = new Worker();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getRetries() {
        return retries;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public Path getRunDir() {
        return runDir;
    }

    public void setRunDir(Path runDir) {
        this.runDir = runDir;
    }

    public Strategy getStrategy() {
        return strategy;
    }

    public void setStrategy(Strategy strategy) {
        this.strategy = strategy;
    }

    public Duration getStrategyPeriod() {
        return strategyPeriod;
    }

    public void setStrategyPeriod(Duration strategyPeriod) {
        this.strategyPeriod = strategyPeriod;
    }

    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public List<String> getAllowedPackages() {
        return allowedPackages;
    }

    public void setAllowedPackages(List<String> allowedPackages) {
        this.allowedPackages = allowedPackages;
    }

    public Map<String, Executor> getExecutors() {
        return executors;
    }

    public Hazelcast getHazelcast() {
        return hazelcast;
    }

    public Worker getWorker() {
        return worker;
    }

    /** One executor under {@code parsl.executors.<label>}. */
    public static class Executor {

        /** The executor type: 'thread-pool' (threads of this JVM) or 'hazelcast' (worker JVMs joined through Hazelcast). */
        private ExecutorType type = ExecutorType.THREAD_POOL;

        /** thread-pool: how many tasks run at once. */
        private int maxThreads = 4;

        /** hazelcast: task slots of each worker JVM (tasks it runs at once); unset = the executor's default. */
        private Integer maxWorkersPerNode;

        /** hazelcast: tasks a worker may take beyond its free slots. */
        private Integer prefetchCapacity;

        /** hazelcast: how often workers report that they are alive. */
        private Duration heartbeatPeriod;

        /** hazelcast: a worker silent for this long is lost; its tasks fail with WorkerLost (and are retried). */
        private Duration heartbeatThreshold;

        /** hazelcast: accelerators (e.g. GPU ids) shared out among a worker's slots, one per slot. */
        private List<String> availableAccelerators = new ArrayList<>();

        private final Provider provider = new Provider();

        public ExecutorType getType() {
            return type;
        }

        public void setType(ExecutorType type) {
            this.type = type;
        }

        public int getMaxThreads() {
            return maxThreads;
        }

        public void setMaxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
        }

        public Integer getMaxWorkersPerNode() {
            return maxWorkersPerNode;
        }

        public void setMaxWorkersPerNode(Integer maxWorkersPerNode) {
            this.maxWorkersPerNode = maxWorkersPerNode;
        }

        public Integer getPrefetchCapacity() {
            return prefetchCapacity;
        }

        public void setPrefetchCapacity(Integer prefetchCapacity) {
            this.prefetchCapacity = prefetchCapacity;
        }

        public Duration getHeartbeatPeriod() {
            return heartbeatPeriod;
        }

        public void setHeartbeatPeriod(Duration heartbeatPeriod) {
            this.heartbeatPeriod = heartbeatPeriod;
        }

        public Duration getHeartbeatThreshold() {
            return heartbeatThreshold;
        }

        public void setHeartbeatThreshold(Duration heartbeatThreshold) {
            this.heartbeatThreshold = heartbeatThreshold;
        }

        public List<String> getAvailableAccelerators() {
            return availableAccelerators;
        }

        public void setAvailableAccelerators(List<String> availableAccelerators) {
            this.availableAccelerators = availableAccelerators;
        }

        public Provider getProvider() {
            return provider;
        }
    }

    /** Who starts the workers of a hazelcast executor ({@code parsl.executors.<label>.provider}). */
    public static class Provider {

        /** 'local' (worker JVMs spawned on this machine: this application relaunched in worker mode) or 'external' (started by the user). */
        private ProviderType type = ProviderType.LOCAL;

        /** Blocks (worker JVMs) started with the executor. */
        private int initBlocks = 1;

        /** Fewest blocks the scaling strategy keeps. */
        private int minBlocks = 0;

        /** Most blocks the scaling strategy starts. */
        private int maxBlocks = 1;

        /** Share of the waiting tasks the strategy provides slots for (0.0 to 1.0). */
        private double parallelism = 1.0;

        /** JVM options of each worker JVM, e.g. -Xmx512m. */
        private List<String> jvmOptions = new ArrayList<>();

        /** The command that starts a worker JVM; empty = this application relaunched with parsl.worker.enabled=true. */
        private List<String> launchCommand = new ArrayList<>();

        public ProviderType getType() {
            return type;
        }

        public void setType(ProviderType type) {
            this.type = type;
        }

        public int getInitBlocks() {
            return initBlocks;
        }

        public void setInitBlocks(int initBlocks) {
            this.initBlocks = initBlocks;
        }

        public int getMinBlocks() {
            return minBlocks;
        }

        public void setMinBlocks(int minBlocks) {
            this.minBlocks = minBlocks;
        }

        public int getMaxBlocks() {
            return maxBlocks;
        }

        public void setMaxBlocks(int maxBlocks) {
            this.maxBlocks = maxBlocks;
        }

        public double getParallelism() {
            return parallelism;
        }

        public void setParallelism(double parallelism) {
            this.parallelism = parallelism;
        }

        public List<String> getJvmOptions() {
            return jvmOptions;
        }

        public void setJvmOptions(List<String> jvmOptions) {
            this.jvmOptions = jvmOptions;
        }

        public List<String> getLaunchCommand() {
            return launchCommand;
        }

        public void setLaunchCommand(List<String> launchCommand) {
            this.launchCommand = launchCommand;
        }
    }

    /** The Hazelcast member Parsl starts when the application has no HazelcastInstance bean. */
    public static class Hazelcast {

        /** Cluster name; workers must use the same. */
        private String clusterName = "parsl";

        /** Network interface the member binds to (loopback unless changed). */
        private String networkInterface = "127.0.0.1";

        /** First port tried; the next free one is taken when it is in use. */
        private int port = 5701;

        /** Addresses (host:port) of members to join; empty = this machine only. Workers connect to these. */
        private List<String> members = new ArrayList<>();

        /** Shared secret authenticating task payloads (HMAC); generated per run when empty. */
        private String secret;

        public String getClusterName() {
            return clusterName;
        }

        public void setClusterName(String clusterName) {
            this.clusterName = clusterName;
        }

        /** The {@code parsl.hazelcast.interface} property ({@code interface} is a Java keyword). */
        public String getInterface() {
            return networkInterface;
        }

        public void setInterface(String networkInterface) {
            this.networkInterface = networkInterface;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public List<String> getMembers() {
            return members;
        }

        public void setMembers(List<String> members) {
            this.members = members;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }
    }

    /**
     * Worker mode: the application serves tasks of Hazelcast executors; its beans are the same, its
     * pools run locally ({@code @ConditionalOnParslKernel} keeps a bean off workers).
     */
    public static class Worker {

        /**
         * true: this application is a worker: it runs the tasks of the Hazelcast executors of {@code labels}
         * that it takes from the cluster, with no web server; its own pools run on thread pools of its JVM.
         */
        private boolean enabled = false;

        /** Executor labels this worker serves. */
        private List<String> labels = new ArrayList<>();

        /** Tasks this worker runs at once; unset = the number of processors. */
        private Integer slots;

        /** This worker's id (unique in the cluster); generated when empty. */
        private String id;

        /** Accelerators of this worker, one per slot (e.g. GPU ids). */
        private List<String> accelerators = new ArrayList<>();

        /** Tasks this worker takes beyond its free slots. */
        private int prefetchCapacity = 0;

        /** How often this worker reports that it is alive. */
        private Duration heartbeatPeriod = Duration.ofSeconds(1);

        /** The process id of the application that launched this worker: the worker stops when it exits (set by a local provider). */
        private Long parentPid;

        /**
         * Whether a worker runs Spring Boot's actuator auto-configurations (endpoints, health, metrics).
         * Off by default: a worker serves no web requests, and without them it starts faster. Turn it on
         * when a bean that runs on workers needs one of them (e.g. injects a {@code MeterRegistry}), or to
         * push metrics from the workers.
         */
        private boolean actuatorEnabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getLabels() {
            return labels;
        }

        public void setLabels(List<String> labels) {
            this.labels = labels;
        }

        public Integer getSlots() {
            return slots;
        }

        public void setSlots(Integer slots) {
            this.slots = slots;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public List<String> getAccelerators() {
            return accelerators;
        }

        public void setAccelerators(List<String> accelerators) {
            this.accelerators = accelerators;
        }

        public int getPrefetchCapacity() {
            return prefetchCapacity;
        }

        public void setPrefetchCapacity(int prefetchCapacity) {
            this.prefetchCapacity = prefetchCapacity;
        }

        public Duration getHeartbeatPeriod() {
            return heartbeatPeriod;
        }

        public void setHeartbeatPeriod(Duration heartbeatPeriod) {
            this.heartbeatPeriod = heartbeatPeriod;
        }

        public Long getParentPid() {
            return parentPid;
        }

        public void setParentPid(Long parentPid) {
            this.parentPid = parentPid;
        }

        public boolean isActuatorEnabled() {
            return actuatorEnabled;
        }

        public void setActuatorEnabled(boolean actuatorEnabled) {
            this.actuatorEnabled = actuatorEnabled;
        }
    }

    /** The values of {@code parsl.executors.<label>.type}. */
    public enum ExecutorType {
        /** Threads of this JVM. */
        THREAD_POOL,
        /** Worker JVMs joined through Hazelcast. */
        HAZELCAST
    }

    /** The values of {@code parsl.executors.<label>.provider.type}. */
    public enum ProviderType {
        /** Worker JVMs spawned on this machine: this application relaunched in worker mode. */
        LOCAL,
        /** Workers started by the user. */
        EXTERNAL
    }

    /** The values of {@code parsl.strategy}. */
    public enum Strategy {
        /** Elastic: blocks scale out when tasks wait, and in after {@code max-idle-time}. */
        SIMPLE,
        /** The blocks of {@code init-blocks}, never more or fewer. */
        NONE;

        /** The name the core's {@code Config.Builder.strategy} takes. */
        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
