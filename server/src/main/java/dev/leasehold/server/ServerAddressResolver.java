package dev.leasehold.server;

import dev.leasehold.net.InboundDatagram;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our own address as a client or relay sees it: the value of option 54 (RFC 2131 §4.3.1, "the
 * server identifier ... is the IP address of the server's interface"), and what a SELECTING
 * client names. The transport knows it for per-interface sockets; for a socket bound to the
 * wildcard address we ask the routing table which source address reaches the relay (or
 * sender), once per peer.
 */
final class ServerAddressResolver {

    /** Relays are few; a bound keeps a spoofed-giaddr flood from growing the cache without end. */
    private static final int MAX_CACHED = 4096;

    private final Map<Ipv4Address, Ipv4Address> byPeer = new ConcurrentHashMap<>();

    Ipv4Address resolve(DhcpMessage request, InboundDatagram datagram) {
        Ipv4Address local = datagram.arrival().localAddress();
        if (!local.isAny()) {
            return local;
        }
        Ipv4Address peer = !request.giaddr().isAny() ? request.giaddr()
                : datagram.source().getAddress() instanceof java.net.Inet4Address a ? Ipv4Address.of(a) : Ipv4Address.ANY;
        if (peer.isAny()) {
            return Ipv4Address.ANY;
        }
        Ipv4Address cached = byPeer.get(peer);
        if (cached != null) {
            return cached;
        }
        Ipv4Address found = routeSource(peer);
        if (byPeer.size() < MAX_CACHED) {
            byPeer.put(peer, found);
        }
        return found;
    }

    /** The source address the kernel would use towards {@code peer}: connect a UDP socket, read its local address. */
    private static Ipv4Address routeSource(Ipv4Address peer) {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.connect(new InetSocketAddress(peer.toInetAddress(), ReplyDestination.SERVER_PORT));
            InetSocketAddress local = (InetSocketAddress) probe.getLocalAddress();
            return local.getAddress() instanceof java.net.Inet4Address a ? Ipv4Address.of(a) : Ipv4Address.ANY;
        } catch (IOException e) {
            throw new UncheckedIOException("no route to " + peer, e);
        }
    }
}
