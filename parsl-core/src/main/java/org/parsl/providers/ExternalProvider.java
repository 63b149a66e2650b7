package org.parsl.providers;

/**
 * Workers started by the user, on this or other machines, with the documented worker command (see
 * {@code org.parsl.executors.hazelcast.HazelcastWorker}); the executor launches and scales nothing.
 */
public final class ExternalProvider implements ExecutionProvider {

    /** The provider of workers started by hand. */
    public ExternalProvider() {
    }

    @Override
    public int initBlocks() {
        return 0;
    }

    @Override
    public int minBlocks() {
        return 0;
    }

    @Override
    public int maxBlocks() {
        return 0;
    }

    @Override
    public double parallelism() {
        return 1.0;
    }

    @Override
    public boolean launchesWorkers() {
        return false;
    }

    @Override
    public Block startBlock(BlockRequest request) {
        throw new UnsupportedOperationException("ExternalProvider starts no workers: start them with the HazelcastWorker command");
    }

    @Override
    public String toString() {
        return "ExternalProvider";
    }
}
