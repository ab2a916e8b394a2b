package dev.leasehold.net.linux;

import java.io.IOException;

/**
 * A C library call failed: carries the {@code errno} value so that callers can tell "port taken"
 * from "no permission" from "interface gone", and a message that names the call, the interface
 * and, where there is one, the fix.
 */
public final class ErrnoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    ErrnoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The Linux errno value (98 is EADDRINUSE). */
    public int errno() {
        return errno;
    }

    /** The symbolic name ("EADDRINUSE"), or "errno N" for a value without one here. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
