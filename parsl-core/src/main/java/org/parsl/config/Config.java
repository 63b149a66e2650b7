package org.parsl.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.parsl.executors.ParslExecutor;

/**
 * The immutable description of a Parsl run: the executors tasks may run on and the settings of the
 * DataFlowKernel. Build one with {@link #builder()}; load it with {@code Parsl.load(config)} as many
 * times as needed (each load starts its own executors and has its own run directory).
 */
public final class Config {

    /** Executor labels: a letter, then letters, digits, '-' or '_' (they name beans and threads). */
    static final Pattern LABEL = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private final List<ParslExecutor> executors;
    private final int retries;
    private final RetryHandler retryHandler;
    private final Path runDir;
    private final String strategy;
    private final Duration strategyPeriod;
    private final Duration maxIdleTime;
    private final boolean appCache;
    private final int maxTasksInFlight;
    private final boolean blockWhenFull;

    /** The default of {@link #maxTasksInFlight()}: ~10,000 tasks cost tens of MB of heap, far from any sensible -Xmx. */
    public static final int DEFAULT_MAX_TASKS_IN_FLIGHT = 10_000;

    private Config(Builder b) {
        this.executors = List.copyOf(b.executors);
        this.retries = b.retries;
        this.retryHandler = b.retryHandler;
        this.runDir = b.runDir;
        this.strategy = b.strategy;
        this.strategyPeriod = b.strategyPeriod;
        this.maxIdleTime = b.maxIdleTime;
        this.appCache = b.appCache;
        this.maxTasksInFlight = b.maxTasksInFlight;
        this.blockWhenFull = b.blockWhenFull;
    }

    /** A new builder with Parsl's defaults: no retries, run directory {@code runinfo}, strategy {@code simple}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.executors.addAll(executors);
        b.retries = retries;
        b.retryHandler = retryHandler;
        b.runDir = runDir;
        b.strategy = strategy;
        b.strategyPeriod = strategyPeriod;
        b.maxIdleTime = maxIdleTime;
        b.appCache = appCache;
        b.maxTasksInFlight = maxTasksInFlight;
        b.blockWhenFull = blockWhenFull;
        return b;
    }

    /** The executors, in the order they were added; labels are unique. */
    public List<ParslExecutor> executors() {
        return executors;
    }

    /** How many times a failed task is tried again (weighted by {@link #retryHandler()}); 0 = never. */
    public int retries() {
        return retries;
    }

    /** The cost model of retries; {@link RetryHandler#DEFAULT} counts every failure as 1. */
    public RetryHandler retryHandler() {
        return retryHandler;
    }

    /** The directory under which each loaded DataFlowKernel makes its own numbered run directory. */
    public Path runDir() {
        return runDir;
    }

    /** The scaling strategy of executors with providers: {@code simple} (elastic) or {@code none}. */
    public String strategy() {
        return strategy;
    }

    /** How often the scaling strategy looks at the load. */
    public Duration strategyPeriod() {
        return strategyPeriod;
    }

    /** How long a block of workers may stay idle before the {@code simple} strategy stops it. */
    public Duration maxIdleTime() {
        return maxIdleTime;
    }

    /** Whether apps that ask for it ({@code App.cache(true)}) are memoized (Parsl's {@code app_cache}); default true. */
    public boolean appCache() {
        return appCache;
    }

    /**
     * Backpressure: the most tasks a DataFlowKernel loaded from this config holds unfinished (submitted
     * and not yet final, waiting on dependencies, queued or running, on any executor); default
     * {@value #DEFAULT_MAX_TASKS_IN_FLIGHT}. At the bound, {@code submit} from an application thread
     * waits for a task to finish (or fails, see {@link #blockWhenFull()}), so the DataFlowKernel's heap
     * stays flat for any number of submissions. Submissions from threads that end or run tasks
     * (callbacks on futures, local task bodies) never wait and may go over it.
     */
    public int maxTasksInFlight() {
        return maxTasksInFlight;
    }

    /**
     * What {@code submit} does at {@link #maxTasksInFlight()}: wait for room ({@code true}, the
     * default), or throw {@code RejectedExecutionException} naming the bound at once ({@code false}).
     */
    public boolean blockWhenFull() {
        return blockWhenFull;
    }

    @Override
    public String toString() {
        List<String> labels = new ArrayList<>();
        executors.forEach(e -> labels.add(e.label()));
        return "Config[executors=" + labels + ", retries=" + retries + ", runDir=" + runDir
                + ", strategy=" + strategy + "]";
    }

    /** Collects the settings of a {@link Config}; {@link #build()} checks them all at once. */
    public static final class Builder {
        private final List<ParslExecutor> executors = new ArrayList<>();
        private int retries;
        private RetryHandler retryHandler = RetryHandler.DEFAULT;
        private Path runDir = Path.of("runinfo");
        private String strategy = "simple";
        private Duration strategyPeriod = Duration.ofMillis(500);
        private Duration maxIdleTime = Duration.ofMinutes(2);
        private boolean appCache = true;
        private int maxTasksInFlight = DEFAULT_MAX_TASKS_IN_FLIGHT;
        private boolean blockWhenFull = true;

        private Builder() {
        }

        /** Adds an executor; its label must be unique in this config. */
        public Builder executor(ParslExecutor executor) {
            executors.add(Objects.requireNonNull(executor, "executor must not be null"));
            return this;
        }

        /** Adds executors, in iteration order. */
        public Builder executors(Collection<? extends ParslExecutor> executors) {
            Objects.requireNonNull(executors, "executors must not be null").forEach(this::executor);
            return this;
        }

        /** Number of retries of a failed task (Parsl's {@code retries}); must be 0 or more. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** The retry cost model (Parsl's {@code retry_handler}). */
        public Builder retryHandler(RetryHandler retryHandler) {
            this.retryHandler = Objects.requireNonNull(retryHandler, "retryHandler must not be null");
            return this;
        }

        /** Where run directories are made (Parsl's {@code run_dir}); default {@code runinfo}. */
        public Builder runDir(Path runDir) {
            this.runDir = Objects.requireNonNull(runDir, "runDir must not be null");
            return this;
        }

        /** The scaling strategy: {@code simple} (default) or {@code none}. */
        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        /** How often the scaling strategy runs; default 500 ms. */
        public Builder strategyPeriod(Duration strategyPeriod) {
            this.strategyPeriod = strategyPeriod;
            return this;
        }

        /** Idle time after which the {@code simple} strategy stops a block; default 2 minutes. */
        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = maxIdleTime;
            return this;
        }

        /** Whether memoization is on for apps that ask for it (Parsl's {@code app_cache}); default true. */
        public Builder appCache(boolean appCache) {
            this.appCache = appCache;
            return this;
        }

        /**
         * The most unfinished tasks a DataFlowKernel holds before {@code submit} waits (see
         * {@link Config#maxTasksInFlight()}); at least 1, default {@value Config#DEFAULT_MAX_TASKS_IN_FLIGHT}.
         */
        public Builder maxTasksInFlight(int maxTasksInFlight) {
            this.maxTasksInFlight = maxTasksInFlight;
            return this;
        }

        /** Whether {@code submit} waits at the bound ({@code true}, default) or fails fast (see {@link Config#blockWhenFull()}). */
        public Builder blockWhenFull(boolean blockWhenFull) {
            this.blockWhenFull = blockWhenFull;
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException naming every bad setting and what to change
         */
        public Config build() {
            List<String> problems = new ArrayList<>();
            if (executors.isEmpty()) {
                problems.add("no executors: add at least one, e.g. executor(new ThreadPoolExecutor(\"cpu\", 4))");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (ParslExecutor e : executors) {
                String label = e.label();
                if (label == null || label.isBlank()) {
                    problems.add("an executor of type " + e.getClass().getSimpleName() + " has a blank label: give it a name such as 'cpu'");
                } else if (!LABEL.matcher(label).matches()) {
                    problems.add("executor label '" + label + "' is not a valid name: start with a letter, then use letters, digits, '-' or '_'");
                } else if (!seen.add(label)) {
                    problems.add("executor label '" + label + "' is used twice: each executor needs its own label");
                }
            }
            if (retries < 0) {
                problems.add("retries is " + retries + ": it must be 0 (no retries) or more");
            }
            if (!"simple".equals(strategy) && !"none".equals(strategy)) {
                problems.add("strategy '" + strategy + "' is unknown: use 'simple' or 'none'");
            }
            if (strategyPeriod == null || strategyPeriod.isNegative() || strategyPeriod.isZero()) {
                problems.add("strategyPeriod is " + strategyPeriod + ": it must be positive");
            }
            if (maxIdleTime == null || maxIdleTime.isNegative()) {
                problems.add("maxIdleTime is " + maxIdleTime + ": it must be zero or positive");
            }
            if (maxTasksInFlight < 1) {
                problems.add("maxTasksInFlight is " + maxTasksInFlight + ": it must be at least 1 (default "
                        + DEFAULT_MAX_TASKS_IN_FLIGHT + ")");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid Parsl config: " + String.join("; ", problems));
            }
            return new Config(this);
        }
    }
}
