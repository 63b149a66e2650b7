package org.parsl.spring.boot.autoconfigure;

/**
 * A {@code parsl.*} setting (or an {@code @Async} executor name) that cannot work: thrown at startup,
 * reported by a FailureAnalyzer with {@link #getMessage()} as the description and {@link #action()}
 * as what to change.
 */
public final class InvalidParslConfigurationException extends RuntimeException {

    private final String action;

    /**
     * @param description what is wrong, naming the property and its value
     * @param action what to change
     */
    public InvalidParslConfigurationException(String description, String action) {
        super(description);
        this.action = action;
    }

    /**
     * @param description what is wrong, naming the property and its value
     * @param action what to change
     * @param cause the exception of the rule that failed (e.g. a core builder's)
     */
    public InvalidParslConfigurationException(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    /** What to change to fix it. */
    public String action() {
        return action;
    }
}
