package dev.leasehold.testkit.netns;

/** A lab step failed: a command exited badly, a wait ran out, or the lab could not be built or removed. */
public class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
