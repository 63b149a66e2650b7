package org.parsl.providers;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What an executor asks a provider for when it needs a block of workers: what to run, with which
 * environment, and where its output goes. The environment carries the workers' settings (secrets
 * included: a process's environment is readable only by its user, unlike its command line).
 *
 * @param blockId the block's id, unique within its executor (e.g. {@code gpu-1a2b3c-0})
 * @param command the program the block's workers run
 * @param environment environment variables to add to the workers' environment
 * @param logFile the file the block's workers write their output to; its directory exists
 */
public record BlockRequest(String blockId, WorkerCommand command, Map<String, String> environment, Path logFile) {

    /** Copies the environment. */
    public BlockRequest {
        Objects.requireNonNull(blockId, "blockId must not be null");
        Objects.requireNonNull(command, "command must not be null");
        Objects.requireNonNull(logFile, "logFile must not be null");
        environment = Map.copyOf(environment);
    }

    /** The environment without values of variables whose name says they hold a secret, for logs and status. */
    @Override
    public String toString() {
        StringBuilder env = new StringBuilder();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
            boolean secret = e.getKey().matches("(?i).*(secret|password|token|credential|key).*");
            env.append(env.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(secret ? "******" : e.getValue());
        }
        return "BlockRequest[" + blockId + ", " + command + ", {" + env + "}, " + logFile + "]";
    }
}
