package dev.leasehold.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A client hardware address: the htype and the first hlen bytes of chaddr (RFC 2131 §2).
 * htype 1 is Ethernet (RFC 1700 "ARP hardware types").
 *
 * <p>The bytes are copied in and out, so an instance is immutable.
 */
public record HardwareAddress(int htype, byte[] bytes) {

    public static final int ETHERNET = 1;

    public HardwareAddress {
        if (htype < 0 || htype > 255) {
            throw new IllegalArgumentException("htype must be 0-255: " + htype);
        }
        if (bytes.length > 16) {
            throw new IllegalArgumentException("a hardware address has at most 16 bytes: " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Parses "aa:bb:cc:dd:ee:ff" (or with '-') as an Ethernet address. */
    public static HardwareAddress parseEthernet(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            try {
                out[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
        }
        return new HardwareAddress(ETHERNET, out);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardwareAddress(int t, byte[] b) && t == htype && Arrays.equals(b, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * htype + Arrays.hashCode(bytes);
    }

    /** Colon-separated lowercase hex, as operators read MAC addresses. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
