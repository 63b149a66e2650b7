package org.parsl.providers;

import java.io.IOException;

/**
 * The provider SPI (Parsl's {@code ExecutionProvider}): where the worker JVMs of a distributed
 * executor come from, in blocks. An implementation is an immutable specification; the executor that
 * uses it asks it for blocks ({@link #startBlock(BlockRequest)}) and scales their number between
 * {@link #minBlocks()} and {@link #maxBlocks()}.
 */
public interface ExecutionProvider {

    /** Blocks started when the executor starts. */
    int initBlocks();

    /** The fewest blocks the elastic strategy keeps. */
    int minBlocks();

    /** The most blocks the elastic strategy starts. */
    int maxBlocks();

    /**
     * Parsl's {@code parallelism}: the ratio of slots to waiting tasks the strategy aims for (1.0: one
     * slot per task; 0.5: half as many slots as tasks).
     */
    double parallelism();

    /**
     * Whether this provider starts workers itself; {@code false} for workers started by the user
     * ({@link ExternalProvider}), then the executor never calls {@link #startBlock(BlockRequest)}.
     */
    boolean launchesWorkers();

    /**
     * Whether the workers it launches run on this machine, as children of this JVM (they may then stop
     * when this JVM ends); false by default.
     */
    default boolean launchesOnThisMachine() {
        return false;
    }

    /**
     * Starts one block of workers.
     *
     * @param request the block's id, the program its workers run, their environment and log file
     * @return a handle to the running block
     * @throws IOException if the block cannot be started
     * @throws UnsupportedOperationException if {@link #launchesWorkers()} is false
     */
    Block startBlock(BlockRequest request) throws IOException;
}
