package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Opens the per-interface UDP socket a DHCP server needs on Linux and closes file descriptors.
 *
 * <p>Why each option (DESIGN §5): SO_BINDTODEVICE makes the socket receive only what arrives on
 * its interface and send only out of it, so a broadcast reply leaves by the arrival interface even
 * without a route to 255.255.255.255 and on a multi-homed host; SO_BROADCAST allows sending to
 * 255.255.255.255; IP_PKTINFO tells, per datagram, the header's destination address (broadcast or
 * unicast to us). SO_REUSEADDR is deliberately not set: UDP has no TIME_WAIT to wait out, and
 * without it the kernel refuses (EADDRINUSE) to let us share port 67 with another DHCP server on
 * the same interface, which would otherwise silently split the traffic between the two. Sockets
 * bound to different interfaces never conflict, with or without it.
 */
final class UdpSockets {

    /** Room for a burst of requests while the pipeline is busy; the kernel caps it at net.core.rmem_max. */
    static final int BUFFER_BYTES = 4 << 20;

    private UdpSockets() {
    }

    /**
     * A non-blocking UDP socket on {@code 0.0.0.0:port}, bound to {@code interfaceName}.
     *
     * @throws ErrnoException naming the interface, the failed step and, for permission and
     *                        port-in-use failures, the fix
     */
    static int openBound(String interfaceName, int port) throws ErrnoException {
        if (interfaceName.isEmpty() || interfaceName.length() >= Libc.IFNAMSIZ) {
            throw new ErrnoException("interface '" + interfaceName + "': not a valid interface name (1-15 characters)", Libc.EINVAL);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int fd = Libc.socket(state, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC,
                    Libc.IPPROTO_UDP);
            if (fd < 0) {
                throw Errno.failure("interface " + interfaceName + ": socket(AF_INET, SOCK_DGRAM)", Libc.errno(state));
            }
            try {
                MemorySegment name = arena.allocateFrom(interfaceName, StandardCharsets.US_ASCII);
                if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, name, (int) name.byteSize()) < 0) {
                    int errno = Libc.errno(state);
                    throw Errno.failure("interface " + interfaceName + ": setsockopt(SO_BINDTODEVICE)", errno,
                            errno == Libc.ENODEV ? "the interface does not exist (any more)" : Errno.rawFix(errno));
                }
                MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
                setFlag(state, fd, Libc.SOL_SOCKET, Libc.SO_BROADCAST, one, interfaceName, "SO_BROADCAST");
                setFlag(state, fd, Libc.IPPROTO_IP, Libc.IP_PKTINFO, one, interfaceName, "IP_PKTINFO");
                // Best effort: a smaller buffer still works, it only drops earlier under a burst.
                // The FORCE variants pass net.core.rmem_max / wmem_max (212,992 bytes by default,
                // about 200 requests: a 20 ms stall at 10,000/s) when we have CAP_NET_ADMIN; the
                // transport reports what the kernel granted (receiveBufferBytes).
                MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, BUFFER_BYTES);
                if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, size, 4) < 0) {
                    Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, size, 4);
                }
                if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, size, 4) < 0) {
                    Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF, size, 4);
                }
                // Per datagram: the socket's drop count so far, and the kernel's receive time
                // (DatagramReceiver counts overflows and the time a request waited). Best effort.
                Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RXQ_OVFL, one, 4);
                Libc.setsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, one, 4);

                MemorySegment address = arena.allocate(SocketStructs.SOCKADDR_IN);
                SocketStructs.writeSockaddrIn(address, Ipv4Address.ANY, port);
                if (Libc.bind(state, fd, address, (int) address.byteSize()) < 0) {
                    throw Errno.failure("interface " + interfaceName + ": bind(0.0.0.0:" + port + ")",
                            Libc.errno(state), Errno::bindFix);
                }
                return fd;
            } catch (ErrnoException | RuntimeException e) {
                Libc.close(state, fd);
                throw e;
            }
        }
    }

    /**
     * The receive buffer the kernel granted {@code fd}, in bytes of payload room: getsockopt
     * reports twice the size asked for (socket(7): the kernel doubles it for its bookkeeping), so
     * this halves it back; -1 when it cannot be read.
     */
    static int receiveBufferBytes(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
            if (Libc.getsockopt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, value, length) < 0) {
                return -1;
            }
            return value.get(ValueLayout.JAVA_INT, 0) / 2;
        }
    }

    private static void setFlag(MemorySegment state, int fd, int level, int option, MemorySegment one,
                                String interfaceName, String optionName) throws ErrnoException {
        if (Libc.setsockopt(state, fd, level, option, one, 4) < 0) {
            throw Errno.failure("interface " + interfaceName + ": setsockopt(" + optionName + ")", Libc.errno(state));
        }
    }

    /** close(2), ignoring errors: Linux releases the descriptor even when close reports one. */
    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.close(Libc.newCallState(arena), fd);
        }
    }
}
