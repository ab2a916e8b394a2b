package dev.leasehold.testkit.netns;

import java.time.Duration;

/** A bounded wait ran out: the message says what was awaited and for how long. */
public final class LabTimeoutException extends LabException {

    public LabTimeoutException(String what, Duration timeout) {
        super("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    public LabTimeoutException(String what, Duration timeout, String detail) {
        super("timed out after " + timeout.toMillis() + " ms waiting for " + what + "\n" + detail);
    }
}
