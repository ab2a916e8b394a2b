package dev.leasehold.net.linux;

import dev.leasehold.net.InboundDatagram;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on every per-interface socket at once and reads one datagram with its IP_PKTINFO.
 *
 * <p>Syscalls: poll(2) reports which sockets are readable; each readable socket is then read
 * with recvmsg(2, MSG_DONTWAIT) until it says EAGAIN, round-robin between sockets so one busy
 * interface cannot starve another. Under load that is one recvmsg per datagram plus one poll and
 * one EAGAIN recvmsg per readable socket per burst; an idle transport wakes once a second.
 *
 * <p>All native memory (message header, 64 KiB buffer, control buffer, poll set) is allocated once
 * and reused: only one thread receives at a time (the transport serialises callers). Per datagram
 * the only allocations are the payload copy and its small records.
 */
final class DatagramReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);

    /** The largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM = 65_535;
    /** Room for an IP_PKTINFO control message (16 + 12, aligned) with slack for others. */
    private static final int CONTROL_BYTES = 64;
    /** Poll at least this often so that a lost wake-up can never hang a receiver. */
    private static final int POLL_TIMEOUT_MILLIS = 1_000;

    private final Wakeup wakeup;
    private final MemorySegment state;
    private final MemorySegment msghdr;
    private final MemorySegment name;
    private final MemorySegment control;
    private final MemorySegment buffer;
    private final MemorySegment eventCounter;
    private final Arena arena;
    private MemorySegment pollfds;
    private int pollCapacity;
    private OpenSockets polled = null;
    private final ArrayDeque<InterfaceSocket> ready = new ArrayDeque<>();

    DatagramReceiver(Wakeup wakeup) {
        this.wakeup = wakeup;
        this.arena = Arena.ofAuto();
        this.state = Libc.newCallState(arena);
        this.msghdr = arena.allocate(SocketStructs.MSGHDR);
        this.name = arena.allocate(SocketStructs.SOCKADDR_IN);
        this.control = arena.allocate(CONTROL_BYTES, 8);
        this.buffer = arena.allocate(MAX_DATAGRAM, 8);
        this.eventCounter = arena.allocate(ValueLayout.JAVA_LONG);
        MemorySegment iov = arena.allocate(SocketStructs.IOVEC);
        iov.set(ValueLayout.ADDRESS, 0, buffer);
        iov.set(ValueLayout.JAVA_LONG, 8, MAX_DATAGRAM);
        msghdr.set(ValueLayout.ADDRESS, SocketStructs.MSG_NAME, name);
        msghdr.set(ValueLayout.ADDRESS, SocketStructs.MSG_IOV, iov);
        msghdr.set(ValueLayout.JAVA_LONG, SocketStructs.MSG_IOVLEN, 1L);
        msghdr.set(ValueLayout.ADDRESS, SocketStructs.MSG_CONTROL, control);
        growPollSet(8);
    }

    /**
     * Waits (at most about a second) for a datagram on one of {@code sockets}' interfaces.
     * Returns it, or null after a wake-up or a quiet second, so that the caller can let go of the
     * transport's descriptor lock (a re-scan or close may be waiting for it) and come back. The
     * caller holds that lock as a reader meanwhile, so no socket is closed under us.
     */
    InboundDatagram receive(OpenSockets current) throws IOException {
        if (current != polled) {
            rebuildPollSet(current);
        }
        InboundDatagram datagram = nextReady();
        if (datagram != null) {
            return datagram;
        }
        int count = current.sockets().size() + 1;
        int n = Libc.poll(state, pollfds, count, POLL_TIMEOUT_MILLIS);
        if (n < 0) {
            int errno = Libc.errno(state);
            if (errno == Libc.EINTR) {
                return null;
            }
            throw Errno.failure("poll on " + (count - 1) + " interface sockets", errno);
        }
        if (n == 0) {
            return null;
        }
        if (revents(0) != 0) {
            wakeup.drain(state, eventCounter);
        }
        for (int i = 1; i < count; i++) {
            if ((revents(i) & (Libc.POLLIN | Libc.POLLERR)) != 0) {
                ready.add(current.sockets().get(i - 1));
            }
        }
        return nextReady();
    }

    /** Reads the sockets poll found readable, round-robin, until one yields a datagram. */
    private InboundDatagram nextReady() {
        while (!ready.isEmpty()) {
            InterfaceSocket socket = ready.poll();
            InboundDatagram datagram = tryReceive(socket);
            if (datagram != null) {
                ready.add(socket); // it may hold more: read it again after the others
                return datagram;
            }
        }
        return null;
    }

    private short revents(int i) {
        return pollfds.get(ValueLayout.JAVA_SHORT, i * SocketStructs.POLLFD.byteSize() + 6);
    }

    private void rebuildPollSet(OpenSockets current) {
        int count = current.sockets().size() + 1;
        if (count > pollCapacity) {
            growPollSet(Math.max(count, pollCapacity * 2));
        }
        long size = SocketStructs.POLLFD.byteSize();
        setPollFd(0, wakeup.fd());
        for (int i = 1; i < count; i++) {
            setPollFd(i, current.sockets().get(i - 1).fd());
        }
        ready.clear();
        polled = current;
        LOG.debug("polling {} interface sockets ({} bytes of pollfd)", count - 1, count * size);
    }

    private void setPollFd(int i, int fd) {
        long at = i * SocketStructs.POLLFD.byteSize();
        pollfds.set(ValueLayout.JAVA_INT, at, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, at + 4, Libc.POLLIN);
        pollfds.set(ValueLayout.JAVA_SHORT, at + 6, (short) 0);
    }

    private void growPollSet(int capacity) {
        pollfds = arena.allocate(SocketStructs.POLLFD, capacity);
        pollCapacity = capacity;
    }

    /** One recvmsg without blocking; null when the socket has nothing (EAGAIN) or reported an error. */
    private InboundDatagram tryReceive(InterfaceSocket socket) {
        while (true) {
            msghdr.set(ValueLayout.JAVA_INT, SocketStructs.MSG_NAMELEN, (int) name.byteSize());
            msghdr.set(ValueLayout.JAVA_LONG, SocketStructs.MSG_CONTROLLEN, (long) CONTROL_BYTES);
            msghdr.set(ValueLayout.JAVA_INT, SocketStructs.MSG_FLAGS, 0);
            long n = Libc.recvmsg(state, socket.fd(), msghdr, Libc.MSG_DONTWAIT);
            if (n < 0) {
                int errno = Libc.errno(state);
                if (errno == Libc.EINTR) {
                    continue;
                }
                if (errno != Libc.EAGAIN) {
                    // A pending socket error (an ICMP error for an earlier send) is reported once and cleared.
                    LOG.debug("interface {}: recvmsg: {}", socket.name(), Errno.describe(errno));
                }
                return null;
            }
            return toDatagram(socket, (int) n);
        }
    }

    private InboundDatagram toDatagram(InterfaceSocket socket, int length) {
        Ipv4Address destination = Ipv4Address.ANY;
        int ifindex = socket.index();
        long controlLength = msghdr.get(ValueLayout.JAVA_LONG, SocketStructs.MSG_CONTROLLEN);
        long headerSize = SocketStructs.CMSGHDR.byteSize();
        for (long at = 0; at + headerSize <= controlLength; ) {
            long cmsgLength = control.get(ValueLayout.JAVA_LONG, at);
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (cmsgLength < headerSize) {
                break;
            }
            if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO
                    && cmsgLength >= headerSize + SocketStructs.IN_PKTINFO.byteSize()) {
                ifindex = control.get(ValueLayout.JAVA_INT, at + headerSize);
                destination = new Ipv4Address(control.get(SocketStructs.NET_INT, at + headerSize + 8));
            }
            at += (cmsgLength + 7) & ~7L; // CMSG_NXTHDR: next header at the 8-byte aligned end
        }
        Ipv4Address sourceAddress = SocketStructs.sockaddrInAddress(name);
        InetSocketAddress source = new InetSocketAddress(inet(sourceAddress), SocketStructs.sockaddrInPort(name));
        byte[] payload = buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        InboundDatagram.Arrival arrival = new InboundDatagram.Arrival(socket.name(), ifindex,
                socket.localAddressFor(destination, sourceAddress), socket.isBroadcast(destination));
        return new InboundDatagram(payload, length, source, arrival);
    }

    private static InetAddress inet(Ipv4Address address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}
