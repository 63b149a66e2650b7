package org.parsl.providers;

import java.util.List;

/** A running block of workers, as started by an {@link ExecutionProvider}. */
public interface Block {

    /** The block's id, as requested. */
    String id();

    /** The process ids of the block's worker JVMs (empty when unknown). */
    List<Long> pids();

    /** Whether any of its workers is still running. */
    boolean isAlive();

    /**
     * Stops the block's workers: asks them to stop (SIGTERM), and kills them if they have not stopped
     * within a short grace period. Returns when they are gone. Idempotent.
     */
    void stop();
}
