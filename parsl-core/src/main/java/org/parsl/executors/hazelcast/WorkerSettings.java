package org.parsl.executors.hazelcast;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a worker needs to know, in one place: the worker contract between an executor, the
 * processes its provider launches, a worker started by hand, and the Spring Boot starter's worker
 * mode. It converts to and from environment variables (how a launched worker gets its settings) and
 * {@code --name=value} options (how a person starts one); no other class names a {@code PARSL_*}
 * variable.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>environment variable</th><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code PARSL_HAZELCAST_MEMBERS}</td><td>{@code --members}</td><td>{@code 127.0.0.1:5701}</td><td>the executor's member(s), {@code host:port,...}</td></tr>
 * <tr><td>{@code PARSL_HAZELCAST_CLUSTER_NAME}</td><td>{@code --cluster-name}</td><td>{@code parsl}</td><td>the executor's configured cluster name</td></tr>
 * <tr><td>{@code PARSL_HAZELCAST_CLUSTER_NAME_LITERAL}</td><td>{@code --cluster-name-literal}</td><td>{@code false}</td><td>use the cluster name as it is instead of deriving the real one from the secret (workers of a {@code HazelcastInstance} the application configured itself)</td></tr>
 * <tr><td>{@code PARSL_HAZELCAST_SECRET}</td><td>(environment only)</td><td>required</td><td>the executor's secret</td></tr>
 * <tr><td>{@code PARSL_WORKER_LABELS}</td><td>{@code --labels}</td><td>required</td><td>executor labels served</td></tr>
 * <tr><td>{@code PARSL_WORKER_SLOTS}</td><td>{@code --slots}</td><td>processors</td><td>tasks run at once</td></tr>
 * <tr><td>{@code PARSL_WORKER_PREFETCH_CAPACITY}</td><td>{@code --prefetch-capacity}</td><td>0</td><td>tasks taken beyond the free slots</td></tr>
 * <tr><td>{@code PARSL_WORKER_HEARTBEAT_PERIOD}</td><td>{@code --heartbeat-period}</td><td>{@code 1s}</td><td>how often the worker reports</td></tr>
 * <tr><td>{@code PARSL_WORKER_ID}</td><td>{@code --worker-id}</td><td>{@code host-pid-random}</td><td>the worker's id</td></tr>
 * <tr><td>{@code PARSL_WORKER_ACCELERATORS}</td><td>{@code --accelerators}</td><td>none</td><td>one slot per accelerator, pinned to it</td></tr>
 * <tr><td>{@code PARSL_ALLOWED_PACKAGES}</td><td>{@code --allowed-packages}</td><td>none</td><td>packages task classes may come from</td></tr>
 * <tr><td>{@code PARSL_PARENT_PID}</td><td>{@code --parent-pid}</td><td>none</td><td>the worker stops when this process ends</td></tr>
 * </table>
 *
 * <p>Durations read as {@code 500ms}, {@code 2s}, {@code 1m} or ISO-8601 ({@code PT1S}); lists are
 * comma separated. A bad value is refused with the variable (or option) that holds it.
 */
public final class WorkerSettings {

    /** Set to {@code true} in a launched worker's environment: it is a worker (the Spring Boot starter reads it). */
    public static final String ENABLED = "PARSL_WORKER_ENABLED";
    static final String MEMBERS = "PARSL_HAZELCAST_MEMBERS";
    static final String CLUSTER_NAME = "PARSL_HAZELCAST_CLUSTER_NAME";
    static final String CLUSTER_NAME_LITERAL = "PARSL_HAZELCAST_CLUSTER_NAME_LITERAL";
    static final String SECRET = "PARSL_HAZELCAST_SECRET";
    static final String LABELS = "PARSL_WORKER_LABELS";
    static final String SLOTS = "PARSL_WORKER_SLOTS";
    static final String PREFETCH = "PARSL_WORKER_PREFETCH_CAPACITY";
    static final String HEARTBEAT_PERIOD = "PARSL_WORKER_HEARTBEAT_PERIOD";
    static final String WORKER_ID = "PARSL_WORKER_ID";
    static final String ACCELERATORS = "PARSL_WORKER_ACCELERATORS";
    static final String ALLOWED_PACKAGES = "PARSL_ALLOWED_PACKAGES";
    static final String PARENT_PID = "PARSL_PARENT_PID";

    /** Option name (without {@code --}) to environment variable; the secret has no option. */
    private static final Map<String, String> OPTIONS = options();

    private static Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("members", MEMBERS);
        m.put("cluster-name", CLUSTER_NAME);
        m.put("cluster-name-literal", CLUSTER_NAME_LITERAL);
        m.put("labels", LABELS);
        m.put("slots", SLOTS);
        m.put("prefetch-capacity", PREFETCH);
        m.put("heartbeat-period", HEARTBEAT_PERIOD);
        m.put("worker-id", WORKER_ID);
        m.put("accelerators", ACCELERATORS);
        m.put("allowed-packages", ALLOWED_PACKAGES);
        m.put("parent-pid", PARENT_PID);
        return Map.copyOf(m);
    }

    private final List<String> members;
    private final String clusterName;
    private final boolean clusterNameLiteral;
    private final String secret;
    private final List<String> labels;
    private final int slots;
    private final int prefetchCapacity;
    private final Duration heartbeatPeriod;
    private final String workerId;
    private final List<String> accelerators;
    private final List<String> allowedPackages;
    private final long parentPid;

    private WorkerSettings(Builder b) {
        this.members = List.copyOf(b.members);
        this.clusterName = b.clusterName;
        this.clusterNameLiteral = b.clusterNameLiteral;
        this.secret = b.secret;
        this.labels = List.copyOf(b.labels);
        this.slots = b.slots;
        this.prefetchCapacity = b.prefetchCapacity;
        this.heartbeatPeriod = b.heartbeatPeriod;
        this.workerId = b.workerId;
        this.accelerators = List.copyOf(b.accelerators);
        this.allowedPackages = List.copyOf(b.allowedPackages);
        this.parentPid = b.parentPid;
    }

    /** A builder with the defaults of the table above. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.members = members;
        b.clusterName = clusterName;
        b.clusterNameLiteral = clusterNameLiteral;
        b.secret = secret;
        b.labels = labels;
        b.slots = slots;
        b.prefetchCapacity = prefetchCapacity;
        b.heartbeatPeriod = heartbeatPeriod;
        b.workerId = workerId;
        b.accelerators = accelerators;
        b.allowedPackages = allowedPackages;
        b.parentPid = parentPid;
        return b;
    }

    /**
     * Reads settings from environment variables (see the class documentation).
     *
     * @throws IllegalArgumentException naming each variable with a bad or missing value
     */
    public static WorkerSettings fromEnvironment(Map<String, String> environment) {
        return parse(new String[0], environment);
    }

    /**
     * Reads settings from environment variables, which {@code --name=value} options override.
     *
     * @throws IllegalArgumentException naming each bad option or variable and what to change
     */
    public static WorkerSettings parse(String[] args, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("PARSL_")) {
                values.put(e.getKey(), e.getValue());
                source.put(e.getKey(), e.getKey());
            }
        }
        List<String> problems = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            String variable = name == null ? null : OPTIONS.get(name);
            if (variable == null) {
                problems.add("unknown argument '" + a + "': use --name=value with a name among " + OPTIONS.keySet()
                        + (a.startsWith("--secret") ? " (the secret is read from " + SECRET + " only, never from the command line)" : ""));
                continue;
            }
            values.put(variable, a.substring(eq + 1));
            source.put(variable, "--" + name);
        }
        Builder b = builder();
        Reader r = new Reader(values, source, problems);
        r.list(MEMBERS).ifPresent(b::members);
        r.string(CLUSTER_NAME).ifPresent(b::clusterName);
        r.bool(CLUSTER_NAME_LITERAL).ifPresent(b::clusterNameLiteral);
        r.string(SECRET).ifPresent(b::secret);
        r.list(LABELS).ifPresent(b::labels);
        r.integer(SLOTS).ifPresent(b::slots);
        r.integer(PREFETCH).ifPresent(b::prefetchCapacity);
        r.duration(HEARTBEAT_PERIOD).ifPresent(b::heartbeatPeriod);
        r.string(WORKER_ID).ifPresent(b::workerId);
        r.list(ACCELERATORS).ifPresent(b::accelerators);
        r.list(ALLOWED_PACKAGES).ifPresent(b::allowedPackages);
        r.integer(PARENT_PID).ifPresent(p -> b.parentPid(p));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid Parsl worker settings: " + String.join("; ", problems));
        }
        return b.build(source);
    }

    /**
     * These settings as environment variables, the secret included (the environment of a process is
     * readable only by its user, unlike its command line). Unset optional settings are left out.
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENABLED, "true");
        env.put(MEMBERS, String.join(",", members));
        env.put(CLUSTER_NAME, clusterName);
        if (clusterNameLiteral) {
            env.put(CLUSTER_NAME_LITERAL, "true");
        }
        env.put(SECRET, secret);
        env.put(LABELS, String.join(",", labels));
        env.put(SLOTS, Integer.toString(slots));
        env.put(PREFETCH, Integer.toString(prefetchCapacity));
        env.put(HEARTBEAT_PERIOD, heartbeatPeriod.toMillis() + "ms");
        if (workerId != null) {
            env.put(WORKER_ID, workerId);
        }
        if (!accelerators.isEmpty()) {
            env.put(ACCELERATORS, String.join(",", accelerators));
        }
        if (!allowedPackages.isEmpty()) {
            env.put(ALLOWED_PACKAGES, String.join(",", allowedPackages));
        }
        if (parentPid > 0) {
            env.put(PARENT_PID, Long.toString(parentPid));
        }
        return env;
    }

    /** These settings as {@code --name=value} options, without the secret (command lines are visible to every user). */
    public List<String> toOptions() {
        List<String> options = new ArrayList<>();
        Map<String, String> env = toEnvironment();
        for (Map.Entry<String, String> o : OPTIONS.entrySet()) {
            String v = env.get(o.getValue());
            if (v != null) {
                options.add("--" + o.getKey() + "=" + v);
            }
        }
        return options;
    }

    /** The executor's member addresses, {@code host:port}. */
    public List<String> members() {
        return members;
    }

    /** The configured cluster name (the real one is derived from it and the secret unless {@link #clusterNameLiteral()}). */
    public String clusterName() {
        return clusterName;
    }

    /** Whether {@link #clusterName()} is used as it is. */
    public boolean clusterNameLiteral() {
        return clusterNameLiteral;
    }

    /** The Hazelcast cluster name to join: derived from the configured name and the secret, or the literal name. */
    String hazelcastClusterName() {
        return clusterNameLiteral ? clusterName : Channels.clusterName(clusterName, secret);
    }

    String secret() {
        return secret;
    }

    /** The executor labels served. */
    public List<String> labels() {
        return labels;
    }

    /** Configured task slots (a worker with accelerators runs at most one slot per accelerator). */
    public int slots() {
        return slots;
    }

    /** Task slots the worker runs: {@link #slots()}, or fewer when there are fewer accelerators. */
    public int effectiveSlots() {
        return accelerators.isEmpty() ? slots : Math.min(slots, accelerators.size());
    }

    /** Tasks taken beyond the free slots. */
    public int prefetchCapacity() {
        return prefetchCapacity;
    }

    /** How often the worker heartbeats. */
    public Duration heartbeatPeriod() {
        return heartbeatPeriod;
    }

    /** The worker's id, if set (otherwise the worker makes one up). */
    public Optional<String> workerId() {
        return Optional.ofNullable(workerId);
    }

    /** Accelerators, one slot each. */
    public List<String> accelerators() {
        return accelerators;
    }

    /** Packages besides {@code org.parsl} and the JDK's value types that tasks may use. */
    public List<String> allowedPackages() {
        return allowedPackages;
    }

    /** The process whose end stops the worker, or 0. */
    public long parentPid() {
        return parentPid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkerSettings w && w.toEnvironment().equals(toEnvironment());
    }

    @Override
    public int hashCode() {
        return toEnvironment().hashCode();
    }

    /** The settings without the secret. */
    @Override
    public String toString() {
        return "WorkerSettings" + toOptions();
    }

    /** Collects worker settings; {@link #build()} checks them all at once. */
    public static final class Builder {
        private List<String> members = List.of("127.0.0.1:5701");
        private String clusterName = "parsl";
        private boolean clusterNameLiteral;
        private String secret;
        private List<String> labels = List.of();
        private int slots = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int prefetchCapacity;
        private Duration heartbeatPeriod = Duration.ofSeconds(1);
        private String workerId;
        private List<String> accelerators = List.of();
        private List<String> allowedPackages = List.of();
        private long parentPid;

        private Builder() {
        }

        /** The executor's member addresses ({@code host:port}); default {@code 127.0.0.1:5701}. */
        public Builder members(List<String> members) {
            this.members = List.copyOf(Objects.requireNonNull(members, "members must not be null"));
            return this;
        }

        /** The configured cluster name; default {@code parsl}. */
        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        /** Use the cluster name as it is (a cluster the application configured itself); default false. */
        public Builder clusterNameLiteral(boolean literal) {
            this.clusterNameLiteral = literal;
            return this;
        }

        /** The executor's secret (required). */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /** The executor labels served (required). */
        public Builder labels(Collection<String> labels) {
            this.labels = List.copyOf(Objects.requireNonNull(labels, "labels must not be null"));
            return this;
        }

        /** Tasks run at once; default: this machine's processors. */
        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        /** Tasks taken beyond the free slots; default 0. */
        public Builder prefetchCapacity(int prefetchCapacity) {
            this.prefetchCapacity = prefetchCapacity;
            return this;
        }

        /** How often the worker heartbeats; default 1 s. */
        public Builder heartbeatPeriod(Duration heartbeatPeriod) {
            this.heartbeatPeriod = heartbeatPeriod;
            return this;
        }

        /** The worker's id; default {@code <host>-<pid>-<random>}. */
        public Builder workerId(String workerId) {
            this.workerId = workerId == null || workerId.isBlank() ? null : workerId.trim();
            return this;
        }

        /** Accelerators: one slot per accelerator, pinned to it. */
        public Builder accelerators(List<String> accelerators) {
            this.accelerators = List.copyOf(Objects.requireNonNull(accelerators, "accelerators must not be null"));
            return this;
        }

        /** Packages whose classes tasks, arguments and results may use. */
        public Builder allowedPackages(Collection<String> allowedPackages) {
            this.allowedPackages = List.copyOf(Objects.requireNonNull(allowedPackages, "allowedPackages must not be null"));
            return this;
        }

        /** The launching process: the worker stops when it ends; 0 for none. */
        public Builder parentPid(long parentPid) {
            this.parentPid = parentPid;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming every bad setting
         */
        public WorkerSettings build() {
            return build(Map.of());
        }

        WorkerSettings build(Map<String, String> source) {
            List<String> problems = new ArrayList<>();
            if (labels.isEmpty()) {
                problems.add(name(source, LABELS, "labels") + " is empty: name the executor labels this worker serves (" + LABELS + " or --labels=gpu)");
            }
            if (slots < 1) {
                problems.add(name(source, SLOTS, "slots") + " is " + slots + ": it must be at least 1");
            }
            if (prefetchCapacity < 0) {
                problems.add(name(source, PREFETCH, "prefetchCapacity") + " is " + prefetchCapacity + ": it must be 0 or more");
            }
            if (secret == null || secret.isEmpty()) {
                problems.add("no secret: set " + SECRET + " to the executor's secret");
            }
            if (members.isEmpty()) {
                problems.add(name(source, MEMBERS, "members") + " is empty: give the executor's member address (" + MEMBERS
                        + " or --members=host:5701)");
            }
            for (String m : members) {
                int colon = m.lastIndexOf(':');
                if (m.isBlank() || (colon >= 0 && !m.substring(colon + 1).matches("\\d{1,5}"))) {
                    problems.add(name(source, MEMBERS, "members") + " has '" + m + "': use host or host:port");
                }
            }
            if (clusterName == null || clusterName.isBlank()) {
                problems.add(name(source, CLUSTER_NAME, "clusterName") + " is blank");
            }
            if (heartbeatPeriod == null || heartbeatPeriod.isNegative() || heartbeatPeriod.isZero()) {
                problems.add(name(source, HEARTBEAT_PERIOD, "heartbeatPeriod") + " is " + heartbeatPeriod + ": it must be positive");
            }
            if (parentPid < 0) {
                problems.add(name(source, PARENT_PID, "parentPid") + " is " + parentPid + ": it must be a process id, or 0 for none");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid Parsl worker settings: " + String.join("; ", problems));
            }
            return new WorkerSettings(this);
        }

        private static String name(Map<String, String> source, String variable, String setting) {
            return source.getOrDefault(variable, setting);
        }
    }

    /** Reads typed values, collecting a problem per bad one. */
    private record Reader(Map<String, String> values, Map<String, String> source, List<String> problems) {

        Optional<String> string(String variable) {
            String v = values.get(variable);
            return v == null ? Optional.empty() : Optional.of(v.trim());
        }

        Optional<List<String>> list(String variable) {
            return string(variable).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
        }

        Optional<Integer> integer(String variable) {
            Optional<String> v = string(variable);
            if (v.isEmpty() || v.get().isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Integer.parseInt(v.get()));
            } catch (NumberFormatException e) {
                problems.add(source.get(variable) + " is '" + v.get() + "': it must be a whole number");
                return Optional.empty();
            }
        }

        Optional<Boolean> bool(String variable) {
            Optional<String> v = string(variable);
            if (v.isEmpty() || v.get().isEmpty()) {
                return Optional.empty();
            }
            if (!v.get().equalsIgnoreCase("true") && !v.get().equalsIgnoreCase("false")) {
                problems.add(source.get(variable) + " is '" + v.get() + "': it must be true or false");
                return Optional.empty();
            }
            return Optional.of(Boolean.parseBoolean(v.get()));
        }

        Optional<Duration> duration(String variable) {
            Optional<String> v = string(variable);
            if (v.isEmpty() || v.get().isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parseDuration(v.get()));
            } catch (NumberFormatException | DateTimeParseException e) {
                problems.add(source.get(variable) + " is '" + v.get() + "': it must be a duration such as 500ms, 2s, 1m or PT1S");
                return Optional.empty();
            }
        }
    }

    static Duration parseDuration(String s) {
        String v = s.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis(Long.parseLong(v));
    }
}
