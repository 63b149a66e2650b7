package org.parsl.providers;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an executor asks a provider for when it needs a block of workers.
 *
 * @param blockId the block's id, unique within its executor (e.g. {@code gpu-1a2b3c-0})
 * @param environment the settings of the block's workers as environment variables
 *        ({@code PARSL_WORKER_ENABLED}, {@code PARSL_HAZELCAST_MEMBERS}, ...)
 * @param logDir where the block's worker logs go; it exists
 */
public record BlockRequest(String blockId, Map<String, String> environment, Path logDir) {

    /** Copies the environment. */
    public BlockRequest {
        environment = Map.copyOf(environment);
    }
}
