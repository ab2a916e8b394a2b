package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.util.Arrays;
import java.util.Optional;

/**
 * IPv4 + UDP datagrams as a packet socket carries them (SOCK_DGRAM: from the IPv4 header on), for
 * a DHCP client that has no address yet and so cannot use the kernel's UDP (RFC 2131 §4.1: it
 * sends from 0.0.0.0 to 255.255.255.255 and receives replies sent to its MAC before its address
 * is configured).
 */
public final class RawUdp {

    /**
     * One received UDP datagram.
     *
     * @param source          the IPv4 source address
     * @param sourcePort      the UDP source port
     * @param destination     the IPv4 destination (255.255.255.255, or the offered address for a layer-2 unicast)
     * @param destinationPort the UDP destination port
     * @param payload         the UDP payload
     */
    public record Datagram(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                           byte[] payload) {
    }

    private RawUdp() {
    }

    /** The IPv4 packet carrying {@code payload} from {@code source:sourcePort} to {@code destination:destinationPort}. */
    public static byte[] packet(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                                byte[] payload) {
        return Ipv4UdpPacket.build(source, sourcePort, destination, destinationPort, payload, payload.length);
    }

    /**
     * The UDP datagram in {@code packet[0, length)}, or empty when it is not a whole, well-formed
     * IPv4/UDP packet: version 4, header length 20-60 bytes, a correct header checksum (RFC 791
     * §3.1), protocol 17, not a fragment, and a UDP length that fits (RFC 768).
     *
     * <p>The UDP checksum is not verified: on veth, virtio and most NICs with transmit offload a
     * locally sent packet reaches a packet socket with its UDP checksum not yet filled in (the
     * kernel marks it CHECKSUM_PARTIAL; udhcpc reads PACKET_AUXDATA for the same reason). The DHCP
     * decoder's own checks catch a damaged payload.
     */
    public static Optional<Datagram> parse(byte[] packet, int length) {
        if (length < Ipv4UdpPacket.HEADERS_LENGTH || (packet[0] & 0xF0) != 0x40) {
            return Optional.empty();
        }
        int headerLength = (packet[0] & 0x0F) * 4;
        int totalLength = u16(packet, 2);
        if (headerLength < Ipv4UdpPacket.IPV4_HEADER_LENGTH || totalLength > length
                || totalLength < headerLength + Ipv4UdpPacket.UDP_HEADER_LENGTH) {
            return Optional.empty();
        }
        if (Ipv4UdpPacket.checksum(packet, 0, headerLength, 0) != 0) {
            return Optional.empty();
        }
        if ((packet[9] & 0xFF) != Libc.IPPROTO_UDP || (u16(packet, 6) & 0x3FFF) != 0) {
            return Optional.empty(); // not UDP, or a fragment (MF set or a non-zero offset)
        }
        int udpLength = u16(packet, headerLength + 4);
        if (udpLength < Ipv4UdpPacket.UDP_HEADER_LENGTH || headerLength + udpLength > totalLength) {
            return Optional.empty();
        }
        return Optional.of(new Datagram(Ipv4Address.read(packet, 12), u16(packet, headerLength),
                Ipv4Address.read(packet, 16), u16(packet, headerLength + 2),
                Arrays.copyOfRange(packet, headerLength + Ipv4UdpPacket.UDP_HEADER_LENGTH, headerLength + udpLength)));
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
