package org.parsl.sample.pricing;

/** A failure that goes away when the chunk is tried again; the sample injects one to show retries. */
public class TransientSimulationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransientSimulationException(String message) {
        super(message);
    }
}
