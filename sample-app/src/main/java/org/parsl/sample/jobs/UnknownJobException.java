package org.parsl.sample.jobs;

/** A job id the service does not know (answered with 404 and a problem detail). */
class UnknownJobException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long id;

    UnknownJobException(long id, long latest) {
        super(latest == 0 ? "no job with id " + id + "; no job has been started yet (POST /jobs starts one)"
                : "no job with id " + id + "; known jobs are numbered 1 to " + latest
                        + " (the oldest finished ones are forgotten)");
        this.id = id;
    }

    long id() {
        return id;
    }
}
