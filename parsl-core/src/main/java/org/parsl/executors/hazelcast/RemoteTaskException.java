package org.parsl.executors.hazelcast;

/**
 * A task's failure on a worker whose exception could not be sent back as itself (its class is not
 * in the allowlist or not on this class path): it carries the remote type's name, the message, and
 * the remote stack trace as its own ({@link #getStackTrace()}).
 */
public class RemoteTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remoteType;

    /**
     * @param remoteType the class name of the exception thrown on the worker
     * @param message its message (may be null)
     * @param remoteStackTrace its stack trace on the worker
     */
    public RemoteTaskException(String remoteType, String message, StackTraceElement[] remoteStackTrace) {
        super(remoteType + (message == null ? "" : ": " + message), null, false, true);
        this.remoteType = remoteType;
        setStackTrace(remoteStackTrace);
    }

    /** The class name of the exception thrown on the worker. */
    public String remoteType() {
        return remoteType;
    }
}
