package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Sends an IPv4 packet straight to a MAC address through an AF_PACKET socket (packet(7),
 * SOCK_DGRAM: the kernel writes the Ethernet header from sockaddr_ll). This is how a reply
 * reaches a client that has no IP address yet (RFC 2131 §4.1) without touching the ARP table.
 *
 * <p>The socket is opened with protocol 0, so it receives nothing: an AF_PACKET socket opened
 * for ETH_P_IP would get a copy of every IPv4 packet on the host.
 */
final class PacketSender implements AutoCloseable {

    private final int fd;

    private PacketSender(int fd) {
        this.fd = fd;
    }

    /** Opens the socket; fails with the fix when it is refused (no CAP_NET_RAW). */
    static PacketSender open() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int fd = Libc.socket(state, Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                int errno = Libc.errno(state);
                throw Errno.failure("socket(AF_PACKET, SOCK_DGRAM) for link-layer unicast replies", errno,
                        Errno.rawFix(errno));
            }
            return new PacketSender(fd);
        }
    }

    /**
     * Builds the IPv4/UDP packet from {@code source:sourcePort} to {@code destination:destinationPort}
     * and sends it out of interface {@code ifindex} to {@code mac}. One sendto(2).
     */
    void send(SendScratch scratch, int ifindex, String interfaceName, byte[] mac,
              Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
              byte[] payload, int length) throws ErrnoException {
        int total = Ipv4UdpPacket.write(scratch.packet, source, sourcePort, destination, destinationPort, payload, length);
        MemorySegment.copy(scratch.packet, 0, scratch.data, ValueLayout.JAVA_BYTE, 0, total);
        SocketStructs.writeSockaddrLl(scratch.address, ifindex, mac);
        long sent = Libc.sendto(scratch.state, fd, scratch.data, total, 0, scratch.address,
                (int) SocketStructs.SOCKADDR_LL.byteSize());
        if (sent < 0) {
            throw Errno.failure("interface " + interfaceName + ": link-layer send to " + formatMac(mac)
                    + " (" + destination + ":" + destinationPort + ")", Libc.errno(scratch.state));
        }
    }

    static String formatMac(byte[] mac) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format("%02x", mac[i] & 0xFF));
        }
        return b.toString();
    }

    @Override
    public void close() {
        UdpSockets.close(fd);
    }
}
