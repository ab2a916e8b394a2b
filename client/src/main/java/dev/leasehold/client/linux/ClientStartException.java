package dev.leasehold.client.linux;

/**
 * The client cannot start, for a reason the operator can fix (no such interface, no address for
 * --inform, no permission, another client already running): one line for the terminal, no
 * stack trace.
 */
public final class ClientStartException extends Exception {

    public ClientStartException(String message) {
        super(message);
    }

    public ClientStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
