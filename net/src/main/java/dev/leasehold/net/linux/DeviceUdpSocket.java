package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A UDP socket on {@code 0.0.0.0:port} bound to one interface (SO_BINDTODEVICE, SO_BROADCAST),
 * for a DHCP client that has its address: RENEWING unicasts to its server, REBINDING broadcasts
 * out of its own interface even on a host with several (RFC 2131 §4.4.5), DHCPRELEASE and
 * DHCPINFORM. While it is open the kernel also delivers the server's unicast replies to it rather
 * than answering them with ICMP port unreachable; {@link #drain} discards them for a caller that
 * reads replies elsewhere (a packet socket sees them too).
 */
public final class DeviceUdpSocket implements AutoCloseable {

    private final String interfaceName;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state;
    private final MemorySegment buffer;
    private final MemorySegment address;
    private volatile boolean closed;

    private DeviceUdpSocket(String interfaceName, int fd) {
        this.interfaceName = interfaceName;
        this.fd = fd;
        this.state = Libc.newCallState(arena);
        this.buffer = arena.allocate(DatagramReceiver.MAX_DATAGRAM, 8);
        this.address = arena.allocate(SocketStructs.SOCKADDR_IN);
    }

    /** Opens the socket; fails naming the interface and, for EACCES/EADDRINUSE, the fix. */
    public static DeviceUdpSocket open(String interfaceName, int port) throws ErrnoException {
        return new DeviceUdpSocket(interfaceName, UdpSockets.openBound(interfaceName, port));
    }

    /** One sendto(2) of {@code payload} to {@code destination:port}. */
    public synchronized void send(Ipv4Address destination, int port, byte[] payload) throws ErrnoException {
        int length = Math.min(payload.length, DatagramReceiver.MAX_DATAGRAM);
        MemorySegment.copy(payload, 0, buffer, ValueLayout.JAVA_BYTE, 0, length);
        SocketStructs.writeSockaddrIn(address, destination, port);
        if (Libc.sendto(state, fd, buffer, length, 0, address, (int) SocketStructs.SOCKADDR_IN.byteSize()) < 0) {
            throw Errno.failure("interface " + interfaceName + ": UDP send to " + destination + ":" + port, Libc.errno(state));
        }
    }

    /** Reads and discards whatever is queued, without waiting; returns how many datagrams went. */
    public synchronized int drain() {
        int count = 0;
        while (!closed && count < 1_000) {
            long n = Libc.recvfrom(state, fd, buffer, DatagramReceiver.MAX_DATAGRAM, Libc.MSG_DONTWAIT,
                    MemorySegment.NULL, MemorySegment.NULL);
            if (n < 0) {
                break;
            }
            count++;
        }
        return count;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            UdpSockets.close(fd);
        }
    }
}
