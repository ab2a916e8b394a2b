package dev.leasehold.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One option as it travels: a code 1–254 and its value bytes (RFC 2132 §2). An option that was
 * split across several instances on the wire (RFC 3396) is one {@code DhcpOption} here, its
 * value the concatenation; the value may therefore be longer than 255 bytes.
 */
public record DhcpOption(int code, byte[] value) {

    public DhcpOption {
        if (code < 1 || code > 254) {
            throw new IllegalArgumentException("option code must be 1-254 (0 is pad, 255 is end): " + code);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The length of the value without copying it. */
    public int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpOption(int c, byte[] v) && c == code && Arrays.equals(v, value);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return code + "=" + HexFormat.of().formatHex(value);
    }
}
