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
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on every per-interface socket at once and reads datagrams with their IP_PKTINFO.
 *
 * <p>Syscalls: poll(2) reports which sockets are readable; each readable socket is then read
 * with one recvmmsg(2, MSG_DONTWAIT), which takes every datagram waiting there (up to
 * {@link #BATCH}); the sockets are served round-robin so one busy interface cannot starve
 * another. A socket that filled the batch is read again before the next poll; one that did not
 * waits for poll to report it again. So a burst of datagrams costs one poll and one recvmmsg,
 * and a lone datagram two syscalls (with one recvmsg per datagram it cost three: the extra
 * recvmsg that finds the socket empty; syscalls are the dearest part of a packet on a virtual
 * machine, see docs/benchmarks.md). An idle transport wakes once a second.
 *
 * <p>All native memory (message headers, a 64 KiB buffer per slot, control buffers, poll set) is
 * allocated once and reused: only one thread receives at a time (the transport serialises
 * callers). Per datagram the only allocations are the payload copy and its small records.
 */
final class DatagramReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);

    /** The largest UDP payload over IPv4. */
    static final int MAX_DATAGRAM = 65_535;
    /**
     * Room for the control messages asked for: IP_PKTINFO (16 + 12, aligned to 32),
     * SCM_TIMESTAMPNS (16 + 16) and SO_RXQ_OVFL (16 + 4, aligned to 24), with slack.
     */
    private static final int CONTROL_BYTES = 128;
    /** Poll at least this often so that a lost wake-up can never hang a receiver. */
    private static final int POLL_TIMEOUT_MILLIS = 1_000;

    /** Datagrams one recvmmsg may take: enough to drain a burst, 1 MiB of native buffers in all. */
    static final int BATCH = 16;

    private final Wakeup wakeup;
    private final MemorySegment state;
    private final MemorySegment headers;
    private final Slot[] slots = new Slot[BATCH];
    private final MemorySegment eventCounter;
    private final Arena arena;
    private MemorySegment pollfds;
    private int pollCapacity;
    private OpenSockets polled = null;
    private final ArrayDeque<InterfaceSocket> ready = new ArrayDeque<>();
    /** The socket the last recvmmsg read, how many datagrams it took, and how many were handed out. */
    private InterfaceSocket batchSocket;
    private int batchCount;
    private int batchNext;
    /** Per socket descriptor: the last SO_RXQ_OVFL figure seen (the kernel's count is per socket, cumulative). */
    private final Map<Integer, Long> overflowSeen = new HashMap<>();
    /** Datagrams the kernel dropped for a full receive queue on any of our sockets, as far as seen. */
    private volatile long overflows;

    /** One receive slot: its msghdr inside {@link #headers} and the buffers it points at. */
    private record Slot(int index, MemorySegment msghdr, MemorySegment name, MemorySegment control,
                        MemorySegment buffer) {}

    DatagramReceiver(Wakeup wakeup) {
        this.wakeup = wakeup;
        this.arena = Arena.ofAuto();
        this.state = Libc.newCallState(arena);
        this.headers = arena.allocate(SocketStructs.MMSGHDR, BATCH);
        for (int i = 0; i < BATCH; i++) {
            MemorySegment msghdr = headers.asSlice(i * SocketStructs.MMSGHDR.byteSize(), SocketStructs.MSGHDR.byteSize());
            MemorySegment name = arena.allocate(SocketStructs.SOCKADDR_IN);
            MemorySegment control = arena.allocate(CONTROL_BYTES, 8);
            MemorySegment buffer = arena.allocate(MAX_DATAGRAM, 8);
            MemorySegment iov = arena.allocate(SocketStructs.IOVEC);
            iov.set(ValueLayout.ADDRESS, 0, buffer);
            iov.set(ValueLayout.JAVA_LONG, 8, MAX_DATAGRAM);
            msghdr.set(ValueLayout.ADDRESS, SocketStructs.MSG_NAME, name);
            msghdr.set(ValueLayout.ADDRESS, SocketStructs.MSG_IOV, iov);
            msghdr.set(ValueLayout.JAVA_LONG, SocketStructs.MSG_IOVLEN, 1L);
            msghdr.set(ValueLayout.ADDRESS, SocketStructs.MSG_CONTROL, control);
            slots[i] = new Slot(i, msghdr, name, control, buffer);
        }
        this.eventCounter = arena.allocate(ValueLayout.JAVA_LONG);
        growPollSet(8);
    }

    /**
     * Datagrams the kernel dropped because one of our sockets' receive queue was full, since the
     * transport opened. Learnt from the count SO_RXQ_OVFL attaches to the next datagram that is
     * queued, so a drop shows when traffic on that socket resumes. Any thread may read it.
     */
    long receiveQueueOverflows() {
        return overflows;
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

    /**
     * Hands out the rest of the last batch, else reads the sockets poll found readable,
     * round-robin, until one yields datagrams.
     */
    private InboundDatagram nextReady() {
        if (batchNext < batchCount) {
            return toDatagram(batchSocket, slots[batchNext++]);
        }
        while (!ready.isEmpty()) {
            InterfaceSocket socket = ready.poll();
            int n = tryReceive(socket);
            if (n > 0) {
                if (n == BATCH) {
                    ready.add(socket); // it may hold more: read it again after the others
                }
                batchSocket = socket;
                batchCount = n;
                batchNext = 1;
                return toDatagram(socket, slots[0]);
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
        overflowSeen.keySet().retainAll(current.sockets().stream().map(InterfaceSocket::fd).toList());
        batchCount = 0; // the sockets changed: a datagram still held would name a closed one
        batchNext = 0;
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

    /**
     * One recvmmsg without blocking: how many datagrams it took into the slots, 0 when the socket
     * had none (EAGAIN) or reported an error.
     */
    private int tryReceive(InterfaceSocket socket) {
        for (Slot slot : slots) {
            slot.msghdr().set(ValueLayout.JAVA_INT, SocketStructs.MSG_NAMELEN, (int) slot.name().byteSize());
            slot.msghdr().set(ValueLayout.JAVA_LONG, SocketStructs.MSG_CONTROLLEN, (long) CONTROL_BYTES);
            slot.msghdr().set(ValueLayout.JAVA_INT, SocketStructs.MSG_FLAGS, 0);
        }
        while (true) {
            int n = Libc.recvmmsg(state, socket.fd(), headers, BATCH, Libc.MSG_DONTWAIT);
            if (n < 0) {
                int errno = Libc.errno(state);
                if (errno == Libc.EINTR) {
                    continue;
                }
                if (errno != Libc.EAGAIN) {
                    // A pending socket error (an ICMP error for an earlier send) is reported once and cleared.
                    LOG.debug("interface {}: recvmmsg: {}", socket.name(), Errno.describe(errno));
                }
                return 0;
            }
            return n;
        }
    }

    private InboundDatagram toDatagram(InterfaceSocket socket, Slot slot) {
        int length = headers.get(ValueLayout.JAVA_INT,
                slot.index() * SocketStructs.MMSGHDR.byteSize() + SocketStructs.MMSG_LEN);
        MemorySegment msghdr = slot.msghdr();
        MemorySegment control = slot.control();
        MemorySegment name = slot.name();
        MemorySegment buffer = slot.buffer();
        Ipv4Address destination = Ipv4Address.ANY;
        int ifindex = socket.index();
        long receivedAt = 0L;
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
            } else if (level == Libc.SOL_SOCKET && type == Libc.SO_TIMESTAMPNS && cmsgLength >= headerSize + 16) {
                receivedAt = control.get(ValueLayout.JAVA_LONG, at + headerSize) * 1_000_000_000L
                        + control.get(ValueLayout.JAVA_LONG, at + headerSize + 8);
            } else if (level == Libc.SOL_SOCKET && type == Libc.SO_RXQ_OVFL && cmsgLength >= headerSize + 4) {
                countOverflows(socket.fd(), Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, at + headerSize)));
            }
            at += (cmsgLength + 7) & ~7L; // CMSG_NXTHDR: next header at the 8-byte aligned end
        }
        Ipv4Address sourceAddress = SocketStructs.sockaddrInAddress(name);
        InetSocketAddress source = new InetSocketAddress(inet(sourceAddress), SocketStructs.sockaddrInPort(name));
        byte[] payload = buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        InboundDatagram.Arrival arrival = new InboundDatagram.Arrival(socket.name(), ifindex,
                socket.localAddressFor(destination, sourceAddress), socket.isBroadcast(destination));
        return new InboundDatagram(payload, length, source, arrival, receivedAt);
    }

    /** Adds what the socket dropped since its last figure (a new socket starts from 0; the count wraps at 2^32). */
    private void countOverflows(int fd, long cumulative) {
        Long previous = overflowSeen.put(fd, cumulative);
        long before = previous == null ? 0L : previous;
        long added = (cumulative - before) & 0xFFFF_FFFFL;
        if (added > 0) {
            overflows += added; // one writer: the receiving thread
        }
    }

    private static InetAddress inet(Ipv4Address address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}
