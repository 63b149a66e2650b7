package org.parsl.sample.jobs;

/** A {@code POST /jobs} body the service refuses (answered with 400 and a problem detail). */
class InvalidJobRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Object value;

    InvalidJobRequestException(String field, Object value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    String field() {
        return field;
    }

    Object value() {
        return value;
    }
}
