package org.parsl.sample.jobs;

/** A job refused because the most jobs allowed are running (answered with 429 and a problem detail naming the limit). */
final class TooManyRunningJobsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int limit;
    private final String property;

    TooManyRunningJobsException(int limit, String property) {
        super(limit + (limit == 1 ? " job is" : " jobs are") + " running, the most " + property
                + " allows; try again when one has finished (GET /jobs lists them)");
        this.limit = limit;
        this.property = property;
    }

    int limit() {
        return limit;
    }

    String property() {
        return property;
    }
}
