package dev.leasehold.bench.simulation;

/** A rule the server broke during a simulation: what, to whom, and the virtual time of it. */
public final class InvariantViolation extends AssertionError {

    private static final long serialVersionUID = 1L;

    InvariantViolation(String message) {
        super(message);
    }

    InvariantViolation(String message, Throwable cause) {
        super(message, cause);
    }
}
