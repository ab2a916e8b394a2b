package dev.leasehold.wire;

import java.util.Optional;

/**
 * The value of option 53, DHCP message type (RFC 2132 §9.6), FORCERENEW (RFC 3203) and the
 * leasequery types (RFC 4388 §6.1). A value outside this list is still carried by the codec as
 * the raw option; {@link #fromCode} then answers empty.
 */
public enum MessageType {
    DISCOVER(1), OFFER(2), REQUEST(3), DECLINE(4), ACK(5), NAK(6), RELEASE(7), INFORM(8),
    FORCERENEW(9), LEASEQUERY(10), LEASEUNASSIGNED(11), LEASEUNKNOWN(12), LEASEACTIVE(13);

    private static final MessageType[] BY_CODE = new MessageType[14];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<MessageType> fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
