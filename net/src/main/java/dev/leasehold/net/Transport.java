package dev.leasehold.net;

import dev.leasehold.wire.InterfaceAddress;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Datagrams in and out of the server: plain UDP, per-interface Linux sockets, or an in-memory
 * stand-in for tests. The server pipeline knows only this interface (DESIGN §2).
 */
public interface Transport extends AutoCloseable {

    /**
     * Blocks until a datagram arrives. The returned datagram owns its array.
     *
     * @throws java.nio.channels.ClosedChannelException (an IOException) once closed
     */
    InboundDatagram receive() throws IOException;

    /** Sends one datagram as {@code outbound.destination()} says; never blocks for long. */
    void send(OutboundDatagram outbound) throws IOException;

    /**
     * Our IPv4 addresses on {@code interfaceName}, primary first, so the server can tell which
     * subnet a directly attached client is on (RFC 2131 §4.3.1). Empty for transports that do
     * not know interfaces.
     */
    default List<InterfaceAddress> addressesOf(String interfaceName) {
        return List.of();
    }

    /**
     * Datagrams the kernel dropped since the transport opened because a socket's receive queue was
     * full (requests the server never saw), when the transport can tell; empty when it cannot.
     */
    default OptionalLong receiveQueueOverflows() {
        return OptionalLong.empty();
    }

    /** Unblocks {@link #receive()} and releases the sockets. */
    @Override
    void close();
}
