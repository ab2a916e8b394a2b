package dev.leasehold.wire;

/**
 * A received message that is not a well-formed DHCP message (RFC 2131 §2, RFC 2132 §2): the
 * decoder's only way of failing on bad input. Carries the byte offset, counted from the first
 * byte of the message (op), where decoding stopped, and a reason a person can read.
 *
 * <p>Built without a stack trace: a flood of junk packets must not cost a stack walk each, and
 * the offset and reason say all there is to say.
 */
public final class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String reason;

    public MalformedMessageException(int offset, String reason) {
        super("byte " + offset + ": " + reason, null, false, false);
        this.offset = offset;
        this.reason = reason;
    }

    /** The offset from the start of the message of the byte where decoding failed. */
    public int offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
