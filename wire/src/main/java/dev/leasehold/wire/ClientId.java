package dev.leasehold.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key a server files a client's lease under: option 61 when the client sends it, otherwise
 * htype followed by the chaddr bytes (RFC 2131 §4.2: "the combination of 'client identifier'
 * or 'chaddr' and assigned network address constitute a unique identifier"). The fallback has
 * the same shape as the common 61 form {@code 01:<mac>}, so dhclient, which sends that form,
 * keeps its lease whether or not it sends 61.
 */
public record ClientId(byte[] bytes) {

    /** Immutable and thread-safe; built once because the lease history formats a client id per event. */
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    public ClientId {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a client id has at least one byte");
        }
        bytes = bytes.clone();
    }

    /** Option 61 when present and non-empty, otherwise htype + chaddr[0..hlen). */
    public static ClientId of(DhcpMessage message) {
        byte[] option = message.options().getUnsafe(OptionCode.CLIENT_IDENTIFIER);
        if (option != null && option.length > 0) {
            return new ClientId(option);
        }
        return of(message.hardwareAddress());
    }

    public static ClientId of(HardwareAddress hardware) {
        byte[] hw = hardware.bytes();
        byte[] id = new byte[hw.length + 1];
        id[0] = (byte) hardware.htype();
        System.arraycopy(hw, 0, id, 1, hw.length);
        return new ClientId(id);
    }

    /** Parses colon-separated hex ("01:aa:bb:cc:dd:ee:ff"), as configuration and the API write it. */
    public static ClientId parse(String text) {
        try {
            return new ClientId(COLON_HEX.parseHex(text.trim().toLowerCase()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a client id (colon-separated hex bytes): '" + text + "'");
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientId(byte[] b) && Arrays.equals(b, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return COLON_HEX.formatHex(bytes);
    }
}
