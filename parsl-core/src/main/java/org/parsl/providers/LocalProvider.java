package org.parsl.providers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Launches blocks of workers as child JVMs on this machine (Parsl's {@code LocalProvider}); one
 * block is one worker JVM. It runs the executor's {@link WorkerCommand} with this JVM's own
 * {@code java}, adding {@link Builder#jvmOptions(List)}; {@link Builder#launchCommand(List)} replaces
 * the whole command (e.g. to relaunch a Spring Boot application in worker mode). The environment of
 * the request is added to the child's.
 *
 * <p>Each worker's stdout and stderr go to the request's log file. Every child is stopped when its
 * executor shuts down, and by a JVM shutdown hook when this JVM exits without that.
 */
public final class LocalProvider implements ExecutionProvider {

    private final int initBlocks;
    private final int minBlocks;
    private final int maxBlocks;
    private final double parallelism;
    private final List<String> jvmOptions;
    private final List<String> launchCommand;

    private LocalProvider(Builder b) {
        this.initBlocks = b.initBlocks;
        this.minBlocks = b.minBlocks;
        this.maxBlocks = b.maxBlocks;
        this.parallelism = b.parallelism;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.launchCommand = b.launchCommand == null ? null : List.copyOf(b.launchCommand);
    }

    /** A builder with Parsl's defaults: initBlocks 1, minBlocks 0, maxBlocks 1, parallelism 1.0. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int initBlocks() {
        return initBlocks;
    }

    @Override
    public int minBlocks() {
        return minBlocks;
    }

    @Override
    public int maxBlocks() {
        return maxBlocks;
    }

    @Override
    public double parallelism() {
        return parallelism;
    }

    /** Options added to the default worker command (ignored with a launch command). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /** The command that replaces the default one, or empty. */
    public java.util.Optional<List<String>> launchCommand() {
        return java.util.Optional.ofNullable(launchCommand);
    }

    @Override
    public boolean launchesWorkers() {
        return true;
    }

    /** The command a block runs: the launch command, or this JVM's java running the worker command with {@link #jvmOptions()}. */
    public List<String> command(WorkerCommand worker) {
        if (launchCommand != null) {
            return launchCommand;
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return worker.toCommandLine(java, jvmOptions);
    }

    @Override
    public boolean launchesOnThisMachine() {
        return true;
    }

    @Override
    public Block startBlock(BlockRequest request) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(request.command()));
        pb.environment().putAll(request.environment());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(request.logFile().toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = pb.start();
        return ChildProcesses.track(request.blockId(), process);
    }

    @Override
    public String toString() {
        return "LocalProvider[initBlocks=" + initBlocks + ", minBlocks=" + minBlocks + ", maxBlocks=" + maxBlocks
                + ", parallelism=" + parallelism + (launchCommand != null ? ", launchCommand=" + launchCommand : "") + "]";
    }

    /** Collects the settings of a {@link LocalProvider}; {@link #build()} checks them all at once. */
    public static final class Builder {
        private int initBlocks = 1;
        private int minBlocks = 0;
        private int maxBlocks = 1;
        private double parallelism = 1.0;
        private List<String> jvmOptions = List.of();
        private List<String> launchCommand;

        private Builder() {
        }

        /** Blocks started with the executor; default 1. */
        public Builder initBlocks(int initBlocks) {
            this.initBlocks = initBlocks;
            return this;
        }

        /** The fewest blocks the elastic strategy keeps; default 0. */
        public Builder minBlocks(int minBlocks) {
            this.minBlocks = minBlocks;
            return this;
        }

        /** The most blocks the elastic strategy starts; default 1. */
        public Builder maxBlocks(int maxBlocks) {
            this.maxBlocks = maxBlocks;
            return this;
        }

        /** Slots per waiting task the strategy aims for, in (0, 1]; default 1.0. */
        public Builder parallelism(double parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** JVM options of the default worker command, e.g. {@code -Xmx512m}. */
        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions must not be null"));
            return this;
        }

        /** A command that replaces the whole default worker command (settings still come as environment variables). */
        public Builder launchCommand(List<String> launchCommand) {
            this.launchCommand = launchCommand == null ? null : List.copyOf(launchCommand);
            return this;
        }

        /**
         * The provider.
         *
         * @throws IllegalArgumentException naming every bad setting
         */
        public LocalProvider build() {
            List<String> problems = new ArrayList<>();
            if (initBlocks < 0) {
                problems.add("initBlocks is " + initBlocks + ": it must be 0 or more");
            }
            if (minBlocks < 0) {
                problems.add("minBlocks is " + minBlocks + ": it must be 0 or more");
            }
            if (maxBlocks < 1) {
                problems.add("maxBlocks is " + maxBlocks + ": it must be at least 1");
            }
            if (minBlocks > maxBlocks) {
                problems.add("minBlocks (" + minBlocks + ") is greater than maxBlocks (" + maxBlocks + "): lower minBlocks or raise maxBlocks");
            }
            if (initBlocks > maxBlocks) {
                problems.add("initBlocks (" + initBlocks + ") is greater than maxBlocks (" + maxBlocks + "): lower initBlocks or raise maxBlocks");
            }
            if (!(parallelism > 0 && parallelism <= 1)) {
                problems.add("parallelism is " + parallelism + ": it must be in (0, 1]");
            }
            if (launchCommand != null && launchCommand.isEmpty()) {
                problems.add("launchCommand is empty: give the full command, or leave it unset for the default");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid LocalProvider: " + String.join("; ", problems));
            }
            return new LocalProvider(this);
        }
    }
}
