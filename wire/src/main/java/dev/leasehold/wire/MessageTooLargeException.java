package dev.leasehold.wire;

/**
 * A message whose options do not fit the size limit even with the sname and file fields
 * overloaded (RFC 2132 §9.3, §9.10; RFC 3396 §7). The caller decides what to drop; the encoder
 * never drops options on its own.
 */
public final class MessageTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int requiredSize;
    private final int maxSize;

    public MessageTooLargeException(int requiredSize, int maxSize) {
        super("the message needs about " + requiredSize + " bytes but at most " + maxSize
                + " may be sent, even with sname and file used for options");
        this.requiredSize = requiredSize;
        this.maxSize = maxSize;
    }

    /** Bytes the message would take without overload (header, cookie, options, end). */
    public int requiredSize() {
        return requiredSize;
    }

    public int maxSize() {
        return maxSize;
    }
}
