package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;

/**
 * Builds the IPv4 + UDP datagram that a link-layer unicast carries to a client that has no
 * address yet (RFC 2131 §4.1). The kernel's IP stack cannot send it: it would ARP for yiaddr,
 * which nobody answers. So we write the headers ourselves and hand the packet to an AF_PACKET
 * socket, which adds the Ethernet header for the client's MAC.
 *
 * <p>IPv4 header (RFC 791 §3.1): version 4, IHL 5 (no options), TOS 0, total length, identification
 * 0 with Don't Fragment set (RFC 6864 §4.1 allows a constant ID for atomic datagrams), TTL 64
 * (RFC 1700), protocol 17, header checksum, addresses. UDP header (RFC 768) with its checksum over
 * the pseudo-header; a computed sum of 0 is sent as 0xFFFF (RFC 768: 0 means "no checksum").
 */
final class Ipv4UdpPacket {

    static final int IPV4_HEADER_LENGTH = 20;
    static final int UDP_HEADER_LENGTH = 8;
    static final int HEADERS_LENGTH = IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH;
    static final int TTL = 64;

    private Ipv4UdpPacket() {
    }

    /** Writes the packet into {@code out} from offset 0 and returns its length. */
    static int write(byte[] out, Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                     byte[] payload, int payloadLength) {
        int udpLength = UDP_HEADER_LENGTH + payloadLength;
        int totalLength = IPV4_HEADER_LENGTH + udpLength;
        if (totalLength > 0xFFFF) {
            throw new IllegalArgumentException("an IPv4 datagram holds at most 65535 bytes: " + totalLength);
        }
        if (out.length < totalLength) {
            throw new IllegalArgumentException("buffer of " + out.length + " bytes for a " + totalLength + "-byte packet");
        }
        // IPv4 header
        out[0] = 0x45;                       // version 4, IHL 5 words
        out[1] = 0;                          // TOS
        putShort(out, 2, totalLength);
        putShort(out, 4, 0);                 // identification
        putShort(out, 6, 0x4000);            // flags: DF; fragment offset 0
        out[8] = (byte) TTL;
        out[9] = (byte) Libc.IPPROTO_UDP;
        putShort(out, 10, 0);                // checksum, filled below
        source.writeTo(out, 12);
        destination.writeTo(out, 16);
        putShort(out, 10, checksum(out, 0, IPV4_HEADER_LENGTH, 0));
        // UDP header
        putShort(out, 20, sourcePort);
        putShort(out, 22, destinationPort);
        putShort(out, 24, udpLength);
        putShort(out, 26, 0);
        System.arraycopy(payload, 0, out, HEADERS_LENGTH, payloadLength);
        int udpSum = checksum(out, IPV4_HEADER_LENGTH, udpLength,
                pseudoHeaderSum(source, destination, udpLength));
        putShort(out, 26, udpSum == 0 ? 0xFFFF : udpSum);
        return totalLength;
    }

    /** A fresh array holding the packet. */
    static byte[] build(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                        byte[] payload, int payloadLength) {
        byte[] out = new byte[HEADERS_LENGTH + payloadLength];
        write(out, source, sourcePort, destination, destinationPort, payload, payloadLength);
        return out;
    }

    /**
     * The Internet checksum (RFC 1071): the one's complement of the one's complement sum of the
     * 16-bit big-endian words, an odd last byte padded with zero; {@code initial} adds a partial
     * sum (the UDP pseudo-header). Summing a region that holds its own correct checksum gives 0.
     */
    static int checksum(byte[] bytes, int offset, int length, long initial) {
        long sum = initial;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** RFC 768 pseudo-header: source, destination, zero, protocol 17, UDP length, as a partial sum. */
    static long pseudoHeaderSum(Ipv4Address source, Ipv4Address destination, int udpLength) {
        long s = source.toLong();
        long d = destination.toLong();
        return (s >>> 16) + (s & 0xFFFF) + (d >>> 16) + (d & 0xFFFF) + Libc.IPPROTO_UDP + udpLength;
    }

    private static void putShort(byte[] out, int offset, int value) {
        out[offset] = (byte) (value >>> 8);
        out[offset + 1] = (byte) value;
    }
}
