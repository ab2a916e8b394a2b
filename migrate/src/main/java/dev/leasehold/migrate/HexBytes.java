package dev.leasehold.migrate;

import dev.leasehold.wire.HardwareAddress;
import java.util.HexFormat;

/** Colon-separated hex as the lease files write MACs and client ids ({@code 5e:a5:36:f1:8f:89}, {@code 1:2:a}). */
public final class HexBytes {

    private HexBytes() {
    }

    public static byte[] parse(String text) {
        String[] parts = text.split(":", -1);
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 2) {
                throw new IllegalArgumentException("not colon-separated hex bytes: '" + text + "'");
            }
            out[i] = (byte) HexFormat.fromHexDigits(parts[i]);
        }
        return out;
    }

    /** A MAC of any length; Ethernet (htype 1, RFC 1700) when it has six bytes. */
    public static HardwareAddress hardwareAddress(String text, int htype) {
        byte[] bytes = parse(text);
        return new HardwareAddress(htype, bytes);
    }
}
