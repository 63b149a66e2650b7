package org.parsl.sample.jobs;

/** A {@code POST /jobs} body over one of the sample's limits (answered with 400 and a problem detail naming it). */
final class JobTooLargeException extends InvalidJobRequestException {

    private static final long serialVersionUID = 1L;

    private final long limit;
    private final String property;

    JobTooLargeException(String field, long value, long limit, String property) {
        super(field, value, field + " must be at most " + limit + " (" + property + "), got " + value);
        this.limit = limit;
        this.property = property;
    }

    long limit() {
        return limit;
    }

    String property() {
        return property;
    }
}
