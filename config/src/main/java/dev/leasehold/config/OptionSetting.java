package dev.leasehold.config;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One option value from the configuration, already encoded to wire bytes through the codec's
 * definition table, so the per-packet path only copies bytes.
 *
 * @param code the option code, 1-254
 * @param name the configuration name (e.g. {@code domain-name-servers}), or the code as text
 * @param value the encoded value, possibly over 255 bytes (RFC 3396 splits it on the wire)
 * @param alwaysSend send even when the client's parameter request list (55) omits it
 */
public record OptionSetting(int code, String name, byte[] value, boolean alwaysSend) {

    public OptionSetting {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value array itself, for the per-packet path, which must not modify it. */
    public byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptionSetting(int c, String n, byte[] v, boolean a)
                && c == code && n.equals(name) && a == alwaysSend && Arrays.equals(v, value);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "(" + code + ")=" + HexFormat.of().formatHex(value);
    }
}
