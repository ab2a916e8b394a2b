package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks whether an address answers an ICMP echo (RFC 792) within a timeout: the ping check a DHCP
 * server may make before offering an address (RFC 2131 §3.1 step 2: "Servers SHOULD check that
 * the offered network address is not already in use; e.g., the server may probe the offered
 * address with an ICMP Echo Request"; also §4.4.1).
 *
 * <p>Uses an unprivileged ICMP datagram socket (SOCK_DGRAM, IPPROTO_ICMP) where the
 * {@code net.ipv4.ping_group_range} sysctl admits our group, else a raw ICMP socket (needs
 * CAP_NET_RAW). One socket and one platform thread serve every probe: the thread waits in
 * poll(2) for replies and deadlines and completes the futures, so dependent stages run on it
 * unless the caller uses the {@code *Async} forms.
 */
public final class IcmpProber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IcmpProber.class);

    /** Probes waiting for an answer at once; more are refused rather than queued without bound. */
    static final int MAX_IN_FLIGHT = 4_096;
    private static final int RECEIVE_BYTES = 1_500;
    private static final int MAX_WAIT_MILLIS = 1_000;

    /** Which kind of socket carries the echoes. */
    public enum Mode {
        /** SOCK_DGRAM/IPPROTO_ICMP ("ping socket", icmp(7)): unprivileged when ping_group_range allows. */
        DATAGRAM,
        /** SOCK_RAW/IPPROTO_ICMP: needs CAP_NET_RAW. */
        RAW
    }

    private record Pending(Ipv4Address target, long deadlineNanos, CompletableFuture<Boolean> answer) {}

    private final int fd;
    private final Mode mode;
    /** Our echo identifier on a raw socket; ping sockets choose their own and filter for us. */
    private final int identifier;
    /** The data every request carries; a reply must echo it (RFC 792). */
    private final long token;
    private final Wakeup wakeup;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Thread receiver;
    private volatile boolean closed;

    private IcmpProber(int fd, Mode mode, Wakeup wakeup) {
        this.fd = fd;
        this.mode = mode;
        this.wakeup = wakeup;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.identifier = mode == Mode.RAW ? random.nextInt(0x10000) : -1;
        this.token = random.nextLong();
        this.sequence.set(random.nextInt(0x10000));
        this.receiver = Thread.ofPlatform().daemon().name("leasehold-icmp-prober").unstarted(this::receiveLoop);
    }

    /** A ping socket if allowed, else a raw socket; fails saying how to allow either. */
    public static IcmpProber open() throws IOException {
        try {
            return open(Mode.DATAGRAM);
        } catch (ErrnoException datagram) {
            try {
                return open(Mode.RAW);
            } catch (ErrnoException raw) {
                throw new IOException("cannot send ICMP echoes for the ping check: " + datagram.getMessage()
                        + "; and " + raw.getMessage()
                        + ". Allow ping sockets for the server's group (sysctl net.ipv4.ping_group_range=\"GID GID\")"
                        + " or grant CAP_NET_RAW, or turn the ping check off", raw);
            }
        }
    }

    /** A prober on the given kind of socket. */
    public static IcmpProber open(Mode mode) throws IOException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            int type = (mode == Mode.RAW ? Libc.SOCK_RAW : Libc.SOCK_DGRAM) | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
            fd = Libc.socket(state, Libc.AF_INET, type, Libc.IPPROTO_ICMP);
            if (fd < 0) {
                int errno = Libc.errno(state);
                throw Errno.failure(mode == Mode.RAW ? "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)"
                        : "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) (allowed by net.ipv4.ping_group_range)", errno,
                        mode == Mode.RAW ? Errno.rawFix(errno) : "");
            }
            if (mode == Mode.RAW) {
                // ICMP_FILTER (raw(7)): a bit set drops that type; keep echo replies only.
                MemorySegment mask = arena.allocateFrom(ValueLayout.JAVA_INT, ~(1 << IcmpEcho.ECHO_REPLY));
                Libc.setsockopt(state, fd, Libc.SOL_RAW, Libc.ICMP_FILTER, mask, 4);
            }
        }
        Wakeup wakeup;
        try {
            wakeup = Wakeup.open();
        } catch (ErrnoException e) {
            UdpSockets.close(fd);
            throw e;
        }
        IcmpProber prober = new IcmpProber(fd, mode, wakeup);
        prober.receiver.start();
        return prober;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Sends one echo request to {@code target}. The future completes with true when a matching
     * reply arrives before {@code timeout}, false when none does; exceptionally when the request
     * could not be sent (no route: ENETUNREACH) or too many probes are in flight.
     */
    public CompletableFuture<Boolean> probe(Ipv4Address target, Duration timeout) {
        if (closed) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (pending.size() >= MAX_IN_FLIGHT) {
            return CompletableFuture.failedFuture(new IOException(MAX_IN_FLIGHT + " ICMP probes already in flight"));
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Pending probe = new Pending(target, System.nanoTime() + timeout.toNanos(), answer);
        int seq = -1;
        for (int tries = 0; tries < 16 && seq < 0; tries++) {
            int candidate = sequence.getAndIncrement() & 0xFFFF;
            if (pending.putIfAbsent(candidate, probe) == null) {
                seq = candidate;
            }
        }
        if (seq < 0) {
            return CompletableFuture.failedFuture(new IOException("no free ICMP sequence number"));
        }
        byte[] request = IcmpEcho.request(Math.max(identifier, 0), seq, token);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCallState(arena);
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, request);
            MemorySegment address = arena.allocate(SocketStructs.SOCKADDR_IN);
            SocketStructs.writeSockaddrIn(address, target, 0);
            if (Libc.sendto(state, fd, data, request.length, 0, address, (int) address.byteSize()) < 0) {
                pending.remove(seq, probe);
                return CompletableFuture.failedFuture(Errno.failure("ICMP echo to " + target, Libc.errno(state)));
            }
        }
        wakeup.signal(); // the receiver may be sleeping past this probe's deadline
        return answer;
    }

    private void receiveLoop() {
        Arena arena = Arena.ofAuto();
        MemorySegment state = Libc.newCallState(arena);
        MemorySegment pollfds = arena.allocate(SocketStructs.POLLFD, 2);
        MemorySegment buffer = arena.allocate(RECEIVE_BYTES);
        MemorySegment from = arena.allocate(SocketStructs.SOCKADDR_IN);
        MemorySegment fromLength = arena.allocate(ValueLayout.JAVA_INT);
        MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
        pollfds.set(ValueLayout.JAVA_INT, 0, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
        pollfds.set(ValueLayout.JAVA_INT, 8, wakeup.fd());
        pollfds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
        byte[] bytes = new byte[RECEIVE_BYTES];
        while (!closed) {
            int n = Libc.poll(state, pollfds, 2, waitMillis());
            if (closed) {
                break;
            }
            if (n < 0 && Libc.errno(state) != Libc.EINTR) {
                LOG.warn("ICMP prober: {}", Errno.describe(Libc.errno(state)));
            }
            if (n > 0 && pollfds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
                wakeup.drain(state, counter);
            }
            while (true) {
                fromLength.set(ValueLayout.JAVA_INT, 0, (int) from.byteSize());
                long got = Libc.recvfrom(state, fd, buffer, RECEIVE_BYTES, Libc.MSG_DONTWAIT, from, fromLength);
                if (got < 0) {
                    break; // EAGAIN: drained (other errors: an ICMP error for a send, nothing to match)
                }
                int length = (int) got;
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
                matchReply(SocketStructs.sockaddrInAddress(from), bytes, length);
            }
            expire();
        }
        pending.values().forEach(p -> p.answer().completeExceptionally(new ClosedChannelException()));
        pending.clear();
    }

    private void matchReply(Ipv4Address source, byte[] bytes, int length) {
        int offset = mode == Mode.RAW ? IcmpEcho.ipPayloadOffset(bytes, length) : 0;
        if (offset < 0) {
            return;
        }
        OptionalInt seq = IcmpEcho.replySequence(bytes, offset, length - offset, identifier, token);
        if (seq.isEmpty()) {
            return;
        }
        Pending p = pending.get(seq.getAsInt());
        if (p != null && p.target().equals(source) && pending.remove(seq.getAsInt(), p)) {
            p.answer().complete(Boolean.TRUE);
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Integer, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Pending> e = it.next();
            if (now - e.getValue().deadlineNanos() >= 0 && pending.remove(e.getKey(), e.getValue())) {
                e.getValue().answer().complete(Boolean.FALSE);
            }
        }
    }

    /** Until the nearest deadline (rounded up), at most a second. */
    private int waitMillis() {
        long now = System.nanoTime();
        long wait = MAX_WAIT_MILLIS;
        for (Pending p : pending.values()) {
            long ms = Math.max(0, (p.deadlineNanos() - now + 999_999) / 1_000_000);
            wait = Math.min(wait, ms);
        }
        return (int) wait;
    }

    /** Stops the receiver thread; probes still waiting complete exceptionally. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wakeup.signal();
        try {
            receiver.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        UdpSockets.close(fd);
        wakeup.close();
    }
}
