package dev.leasehold.net;

import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;

/**
 * One received UDP payload and where it came from.
 *
 * @param payload the bytes; only {@code [0, length)} count
 * @param source the sender's address and port (a relay on 67, a client on 68, or a test peer)
 * @param arrival the interface it came in on, or {@link Arrival#UNKNOWN} for a plain socket
 * @param receivedAtEpochNanos when the kernel received it (SO_TIMESTAMPNS, the realtime clock in
 *        nanoseconds since the epoch), or 0 when the transport cannot tell; the time a request
 *        waited in the socket's queue is the reader's clock minus this
 */
public record InboundDatagram(byte[] payload, int length, InetSocketAddress source, Arrival arrival,
                              long receivedAtEpochNanos) {

    /** A datagram whose receive time is not known. */
    public InboundDatagram(byte[] payload, int length, InetSocketAddress source, Arrival arrival) {
        this(payload, length, source, arrival, 0L);
    }

    /**
     * The receiving side of a datagram.
     *
     * @param interfaceName the interface, or empty when the transport cannot tell
     * @param interfaceIndex its kernel index, or 0
     * @param localAddress the address it was sent to, or our address on that interface; ANY when unknown
     * @param broadcast whether it was addressed to a broadcast address
     */
    public record Arrival(String interfaceName, int interfaceIndex, Ipv4Address localAddress, boolean broadcast) {
        public static final Arrival UNKNOWN = new Arrival("", 0, Ipv4Address.ANY, false);
    }
}
