package dev.leasehold.net.linux;

import java.util.OptionalInt;

/**
 * ICMP echo request and reply messages (RFC 792, "Echo or Echo Reply Message"): type 8 / 0,
 * code 0, checksum over the ICMP message (RFC 1071), identifier, sequence number, data. The
 * data of a reply must be the request's data, which lets us ignore replies to other pingers.
 */
final class IcmpEcho {

    static final int ECHO_REPLY = 0;
    static final int ECHO_REQUEST = 8;
    static final int HEADER_LENGTH = 8;
    static final int DATA_LENGTH = 8;
    static final int LENGTH = HEADER_LENGTH + DATA_LENGTH;

    private IcmpEcho() {
    }

    /** An echo request carrying {@code token} as its 8 data bytes. */
    static byte[] request(int identifier, int sequence, long token) {
        byte[] m = new byte[LENGTH];
        m[0] = (byte) ECHO_REQUEST;
        m[1] = 0;
        m[4] = (byte) (identifier >>> 8);
        m[5] = (byte) identifier;
        m[6] = (byte) (sequence >>> 8);
        m[7] = (byte) sequence;
        for (int i = 0; i < DATA_LENGTH; i++) {
            m[HEADER_LENGTH + i] = (byte) (token >>> (56 - 8 * i));
        }
        int sum = Ipv4UdpPacket.checksum(m, 0, LENGTH, 0);
        m[2] = (byte) (sum >>> 8);
        m[3] = (byte) sum;
        return m;
    }

    /**
     * The sequence number of an echo reply that answers one of ours, or empty for anything else.
     *
     * @param bytes       the received bytes
     * @param offset      where the ICMP message starts (after the IP header on a raw socket)
     * @param length      bytes from {@code offset}
     * @param identifier  our identifier, or -1 when the kernel matched it already (ping sockets
     *                    rewrite it to their own and deliver only their replies)
     * @param token       the data we sent
     */
    static OptionalInt replySequence(byte[] bytes, int offset, int length, int identifier, long token) {
        if (length < LENGTH || (bytes[offset] & 0xFF) != ECHO_REPLY || bytes[offset + 1] != 0) {
            return OptionalInt.empty();
        }
        int id = ((bytes[offset + 4] & 0xFF) << 8) | (bytes[offset + 5] & 0xFF);
        if (identifier >= 0 && id != identifier) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < DATA_LENGTH; i++) {
            if (bytes[offset + HEADER_LENGTH + i] != (byte) (token >>> (56 - 8 * i))) {
                return OptionalInt.empty();
            }
        }
        return OptionalInt.of(((bytes[offset + 6] & 0xFF) << 8) | (bytes[offset + 7] & 0xFF));
    }

    /** Where the ICMP message starts in what a raw socket returns: after the IPv4 header (RFC 791, IHL words). */
    static int ipPayloadOffset(byte[] packet, int length) {
        if (length < 20 || (packet[0] & 0xF0) != 0x40) {
            return -1;
        }
        int ihl = (packet[0] & 0x0F) * 4;
        return ihl < 20 || ihl > length ? -1 : ihl;
    }
}
