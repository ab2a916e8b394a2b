package dev.leasehold.server;

import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.RelayAgentInformation;

/**
 * Where a reply goes: the one place that applies RFC 2131 §4.1 (and RFC 8357 for relays on
 * another port). Order matters and is the RFC's:
 * <ol>
 * <li>giaddr set: unicast to the relay, server port 67, or the relay's own source port when it
 *     sent the relay-source-port sub-option (RFC 8357 §5.1);</li>
 * <li>a DHCPNAK with giaddr 0: broadcast;</li>
 * <li>ciaddr set: unicast to ciaddr, client port 68; when the request came in on an interface we
 *     serve with the link layer (its name is known), as a frame to the client's hardware address,
 *     so the reply does not wait on ARP (a client busy renewing may not answer it, and Kea's raw
 *     sockets do the same). The hardware address is chaddr: the socket does not report the frame's
 *     source MAC, and for a directly attached client the two are the same (§4.1 trusts chaddr the
 *     same way for yiaddr);</li>
 * <li>broadcast bit set: broadcast;</li>
 * <li>otherwise a link-layer unicast to chaddr carrying yiaddr.</li>
 * </ol>
 */
public final class ReplyDestination {

    /** The UDP port clients listen on (RFC 2131 §4.1). */
    public static final int CLIENT_PORT = 68;
    /** The UDP port servers and relays listen on (RFC 2131 §4.1). */
    public static final int SERVER_PORT = 67;

    private ReplyDestination() {
    }

    public static Destination choose(DhcpMessage request, DhcpMessage reply, InboundDatagram from) {
        String iface = from.arrival().interfaceName();
        if (!request.giaddr().isAny()) {
            int port = hasRelaySourcePort(request) ? from.source().getPort() : SERVER_PORT;
            return new Destination.Unicast(request.giaddr(), port);
        }
        if (reply.messageType().filter(t -> t == MessageType.NAK).isPresent()) {
            return new Destination.Broadcast(CLIENT_PORT, iface);
        }
        if (!request.ciaddr().isAny()) {
            return iface.isEmpty() ? new Destination.Unicast(request.ciaddr(), CLIENT_PORT)
                    : new Destination.AddressedClientUnicast(request.hardwareAddress(), request.ciaddr(), CLIENT_PORT, iface);
        }
        if (request.broadcastFlag() || reply.yiaddr().isAny()) {
            return new Destination.Broadcast(CLIENT_PORT, iface);
        }
        return new Destination.LinkLayerUnicast(request.hardwareAddress(), reply.yiaddr(), CLIENT_PORT, iface);
    }

    private static boolean hasRelaySourcePort(DhcpMessage request) {
        return request.relaySubOption(RelayAgentInformation.RELAY_SOURCE_PORT).isPresent();
    }
}
