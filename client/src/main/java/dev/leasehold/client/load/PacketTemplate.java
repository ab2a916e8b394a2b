package dev.leasehold.client.load;

import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import java.util.Arrays;

/**
 * One encoded client message whose per-client fields are patched in place, so the load
 * generator sends without encoding: xid (offset 4, RFC 2131 §2), chaddr (offset 28), ciaddr
 * (offset 12) and the values of options 50 and 54 when the template has them.
 */
final class PacketTemplate {

    private static final int XID = 4;
    private static final int CIADDR = 12;
    private static final int CHADDR = 28;
    private static final int OPTIONS = 240;

    private final byte[] bytes;
    private final int requestedAt;
    private final int serverIdAt;

    PacketTemplate(DhcpMessage message) {
        this.bytes = DhcpCodec.encode(message);
        this.requestedAt = valueOffset(bytes, 50);
        this.serverIdAt = valueOffset(bytes, 54);
    }

    /** A copy with this client's fields; {@code requested}/{@code serverId} only where the template has 50/54. */
    byte[] forClient(int xid, byte[] mac, int ciaddr, int requested, int serverId) {
        byte[] out = Arrays.copyOf(bytes, bytes.length);
        putInt(out, XID, xid);
        System.arraycopy(mac, 0, out, CHADDR, mac.length);
        putInt(out, CIADDR, ciaddr);
        if (requestedAt > 0) {
            putInt(out, requestedAt, requested);
        }
        if (serverIdAt > 0) {
            putInt(out, serverIdAt, serverId);
        }
        return out;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Where the 4-byte value of option {@code code} starts, or -1. */
    private static int valueOffset(byte[] b, int code) {
        int i = OPTIONS;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                i++;
                continue;
            }
            if (c == 255 || i + 1 >= b.length) {
                return -1;
            }
            int len = b[i + 1] & 0xFF;
            if (c == code && len == 4) {
                return i + 2;
            }
            i += 2 + len;
        }
        return -1;
    }

}
