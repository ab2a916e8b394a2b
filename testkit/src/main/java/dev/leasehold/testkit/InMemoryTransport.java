package dev.leasehold.testkit;

import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.net.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Transport} with no sockets: a test injects the datagrams the server receives and
 * reads back what it sent, each with the {@link dev.leasehold.net.Destination} the server chose
 * (RFC 2131 §4.1), so reply routing is testable without root or a network.
 *
 * <p>Thread-safe. {@link #receive()} blocks on a queue as a socket would; {@link #close()}
 * unblocks it with {@link ClosedChannelException}, as a closed channel does.
 */
public final class InMemoryTransport implements Transport {

    /** Queued by {@link #close()} to wake a blocked receiver; compared by identity. */
    private final InboundDatagram closedMarker =
            new InboundDatagram(new byte[0], 0, new InetSocketAddress(0), InboundDatagram.Arrival.UNKNOWN);
    private final BlockingQueue<InboundDatagram> inbound = new LinkedBlockingQueue<>();
    private final BlockingQueue<OutboundDatagram> sent = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /** Hands {@code datagram} to the server's next {@link #receive()}. */
    public void inject(InboundDatagram datagram) {
        if (closed) {
            throw new IllegalStateException("the transport is closed");
        }
        inbound.add(datagram);
    }

    /** Hands {@code payload} to the server as if it came from {@code source} by {@code arrival}. */
    public void inject(byte[] payload, InetSocketAddress source, InboundDatagram.Arrival arrival) {
        inject(new InboundDatagram(payload.clone(), payload.length, source, arrival));
    }

    @Override
    public InboundDatagram receive() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        InboundDatagram next;
        try {
            next = inbound.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a datagram");
        }
        if (next == closedMarker) {
            inbound.add(closedMarker); // every other blocked receiver wakes too
            throw new ClosedChannelException();
        }
        return next;
    }

    /** Records the datagram with a copy of its bytes, since the sender may reuse its buffer. */
    @Override
    public void send(OutboundDatagram outbound) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        byte[] copy = Arrays.copyOf(outbound.payload(), outbound.length());
        sent.add(new OutboundDatagram(copy, copy.length, outbound.destination()));
    }

    /** The next datagram the server sent, waiting up to {@code timeout}; empty when none came. */
    public Optional<OutboundDatagram> awaitSent(Duration timeout) {
        try {
            return Optional.ofNullable(sent.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Everything sent and not yet taken, oldest first, without waiting. */
    public List<OutboundDatagram> drainSent() {
        List<OutboundDatagram> out = new ArrayList<>();
        sent.drainTo(out);
        return out;
    }

    /** How many injected datagrams the server has not received yet. */
    public int pendingInbound() {
        return closed ? 0 : inbound.size();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inbound.clear();
            inbound.add(closedMarker);
        }
    }
}
