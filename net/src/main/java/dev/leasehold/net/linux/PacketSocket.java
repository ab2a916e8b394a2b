package dev.leasehold.net.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A packet socket (packet(7), AF_PACKET, SOCK_DGRAM) bound to one interface and one ethertype:
 * sends a network-layer frame to a MAC address and receives that ethertype's frames arriving on
 * the interface, link-layer header removed. What a DHCP client needs while its interface has no
 * IPv4 address (RFC 2131 §4.1) and for ARP probes (RFC 5227 §2.1).
 *
 * <p>Opening order avoids the classic race: the socket is created with protocol 0 (it receives
 * nothing), the BPF filter is attached, and only then is it bound to the ethertype and interface,
 * so no frame is queued that the filter has not seen. Frames the host itself sends (packet type
 * PACKET_OUTGOING, which packet sockets also see) are skipped by {@link #receive}.
 *
 * <p>Needs CAP_NET_RAW. One thread receives at a time; sends may come from another thread.
 */
public final class PacketSocket implements AutoCloseable {

    /** Ethertype of IPv4 (RFC 894). */
    public static final int ETH_P_IP = 0x0800;
    /** Ethertype of ARP (RFC 826). */
    public static final int ETH_P_ARP = 0x0806;

    private static final int SO_ATTACH_FILTER = 26;
    private static final int PACKET_OUTGOING = 4;
    private static final int BUFFER_BYTES = 65_536;

    private final String interfaceName;
    private final int ifindex;
    private final byte[] hardwareAddress;
    private final int etherType;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveState;
    private final MemorySegment receiveBuffer;
    private final MemorySegment from;
    private final MemorySegment fromLength;
    private final MemorySegment pollfd;
    private final Object sendLock = new Object();
    private final MemorySegment sendState;
    private final MemorySegment sendBuffer;
    private final MemorySegment to;
    private volatile boolean closed;

    private PacketSocket(String interfaceName, int ifindex, byte[] hardwareAddress, int etherType, int fd) {
        this.interfaceName = interfaceName;
        this.ifindex = ifindex;
        this.hardwareAddress = hardwareAddress;
        this.etherType = etherType;
        this.fd = fd;
        this.receiveState = Libc.newCallState(arena);
        this.receiveBuffer = arena.allocate(BUFFER_BYTES, 8);
        this.from = arena.allocate(SocketStructs.SOCKADDR_LL.byteSize() + 8, 8);
        this.fromLength = arena.allocate(ValueLayout.JAVA_INT);
        this.pollfd = arena.allocate(SocketStructs.POLLFD);
        this.sendState = Libc.newCallState(arena);
        this.sendBuffer = arena.allocate(BUFFER_BYTES, 8);
        this.to = arena.allocate(SocketStructs.SOCKADDR_LL.byteSize() + 8, 8);
    }

    /**
     * Opens a packet socket on {@code interfaceName} for {@code etherType}, with {@code filter}
     * attached before it receives anything (an empty list: no filter).
     *
     * @throws ErrnoException naming the interface and the failed step (EPERM: the fix, CAP_NET_RAW)
     */
    public static PacketSocket open(String interfaceName, int etherType, List<BpfInstruction> filter)
            throws ErrnoException {
        if (interfaceName.isEmpty() || interfaceName.length() >= Libc.IFNAMSIZ) {
            throw new ErrnoException("interface '" + interfaceName + "': not a valid interface name (1-15 characters)", Libc.EINVAL);
        }
        int ifindex = indexOf(interfaceName);
        byte[] mac = hardwareAddressOf(interfaceName);
        if (mac == null || mac.length != 6) {
            throw new ErrnoException("interface " + interfaceName + ": not an Ethernet interface (no 6-byte MAC)", Libc.EINVAL);
        }
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(setup);
            int fd = Libc.socket(state, Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                int errno = Libc.errno(state);
                throw Errno.failure("interface " + interfaceName + ": socket(AF_PACKET, SOCK_DGRAM)", errno, Errno.rawFix(errno));
            }
            try {
                if (!filter.isEmpty()) {
                    MemorySegment program = setup.allocate((long) filter.size() * BpfInstruction.SIZE, 8);
                    BpfInstruction.write(filter, program);
                    // struct sock_fprog: unsigned short len; (6 bytes padding) struct sock_filter *filter;
                    MemorySegment fprog = setup.allocate(16, 8);
                    fprog.set(ValueLayout.JAVA_SHORT, 0, (short) filter.size());
                    fprog.set(ValueLayout.ADDRESS, 8, program);
                    if (Libc.setsockopt(state, fd, Libc.SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16) < 0) {
                        throw Errno.failure("interface " + interfaceName + ": setsockopt(SO_ATTACH_FILTER)", Libc.errno(state));
                    }
                }
                MemorySegment address = setup.allocate(SocketStructs.SOCKADDR_LL.byteSize() + 8, 8);
                writeAddress(address, etherType, ifindex, null);
                if (Libc.bind(state, fd, address, (int) SocketStructs.SOCKADDR_LL.byteSize()) < 0) {
                    int errno = Libc.errno(state);
                    throw Errno.failure("interface " + interfaceName + ": bind(AF_PACKET, ethertype 0x"
                            + Integer.toHexString(etherType) + ")", errno, Errno.rawFix(errno));
                }
            } catch (ErrnoException | RuntimeException e) {
                Libc.close(state, fd);
                throw e;
            }
            return new PacketSocket(interfaceName, ifindex, mac, etherType, fd);
        }
    }

    /**
     * if_nametoindex(3). The JDK's NetworkInterface cannot be used: it lists only interfaces that
     * have an address, and a DHCP client's interface typically has none yet.
     */
    private static int indexOf(String interfaceName) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int index = Libc.ifNameToIndex(state, arena.allocateFrom(interfaceName, StandardCharsets.US_ASCII));
            if (index == 0) {
                throw Errno.failure("interface " + interfaceName, Libc.errno(state));
            }
            return index;
        }
    }

    /** The MAC from sysfs (/sys/class/net/NAME/address, net-namespace aware), for the same reason. */
    private static byte[] hardwareAddressOf(String interfaceName) throws ErrnoException {
        try {
            String text = Files.readString(Path.of("/sys/class/net", interfaceName, "address")).strip();
            return HexFormat.ofDelimiter(":").parseHex(text);
        } catch (IOException | IllegalArgumentException e) {
            throw new ErrnoException("interface " + interfaceName + ": cannot read its MAC address from /sys/class/net: "
                    + e.getMessage(), Libc.ENODEV);
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int interfaceIndex() {
        return ifindex;
    }

    /** The interface's MAC address. */
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    /** Sends {@code frame[0, length)} (the network-layer packet) to {@code destinationMac}; the kernel adds the Ethernet header. */
    public void send(byte[] frame, int length, byte[] destinationMac) throws ErrnoException {
        synchronized (sendLock) {
            MemorySegment.copy(frame, 0, sendBuffer, ValueLayout.JAVA_BYTE, 0, length);
            writeAddress(to, etherType, ifindex, destinationMac);
            long sent = Libc.sendto(sendState, fd, sendBuffer, length, 0, to, (int) SocketStructs.SOCKADDR_LL.byteSize());
            if (sent < 0) {
                throw Errno.failure("interface " + interfaceName + ": packet send to "
                        + PacketSender.formatMac(destinationMac), Libc.errno(sendState));
            }
        }
    }

    /**
     * Waits up to {@code timeout} for a frame that arrived on the interface (not one we sent),
     * copies it into {@code into} and returns its length; -1 when none came in time. A frame
     * longer than {@code into} is cut to fit.
     */
    public int receive(byte[] into, Duration timeout) throws ErrnoException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (!closed) {
            fromLength.set(ValueLayout.JAVA_INT, 0, (int) SocketStructs.SOCKADDR_LL.byteSize());
            long n = Libc.recvfrom(receiveState, fd, receiveBuffer, BUFFER_BYTES, Libc.MSG_DONTWAIT, from, fromLength);
            if (n >= 0) {
                int packetType = from.get(ValueLayout.JAVA_BYTE, 10) & 0xFF;
                if (packetType == PACKET_OUTGOING) {
                    continue;
                }
                int length = (int) Math.min(n, into.length);
                MemorySegment.copy(receiveBuffer, ValueLayout.JAVA_BYTE, 0, into, 0, length);
                return length;
            }
            int errno = Libc.errno(receiveState);
            if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                throw Errno.failure("interface " + interfaceName + ": recvfrom on packet socket", errno);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
            pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            int millis = (int) Math.max(1, Math.min(1_000, (left + 999_999) / 1_000_000));
            if (Libc.poll(receiveState, pollfd, 1, millis) < 0 && Libc.errno(receiveState) != Libc.EINTR) {
                throw Errno.failure("interface " + interfaceName + ": poll on packet socket", Libc.errno(receiveState));
            }
        }
        return -1;
    }

    /** sockaddr_ll (packet(7)) for {@code etherType} on {@code ifindex}, to {@code mac} when not null. */
    private static void writeAddress(MemorySegment target, int etherType, int ifindex, byte[] mac) {
        target.asSlice(0, SocketStructs.SOCKADDR_LL.byteSize()).fill((byte) 0);
        target.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_PACKET);
        target.set(SocketStructs.NET_SHORT, 2, (short) etherType);
        target.set(ValueLayout.JAVA_INT, 4, ifindex);
        if (mac != null) {
            target.set(ValueLayout.JAVA_BYTE, 11, (byte) mac.length);
            MemorySegment.copy(mac, 0, target, ValueLayout.JAVA_BYTE, 12, mac.length);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (sendLock) {
            UdpSockets.close(fd);
        }
    }

    @Override
    public String toString() {
        return "PacketSocket[" + interfaceName + ", ethertype 0x" + Integer.toHexString(etherType) + "]";
    }
}
