package dev.leasehold.engine;

import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.wire.Ipv4Address;
import java.util.List;

/**
 * What the server knows about a request besides its bytes.
 *
 * @param serverAddress our address on the path the request came by: option 54 of every reply
 *        (RFC 2131 §4.3.1) and the address a SELECTING client names
 * @param interfaceName the interface it arrived on, or empty when unknown (plain UDP)
 * @param interfaceNetworks our addresses on that interface with their prefixes, used to pick the
 *        subnet of a directly attached client (RFC 2131 §4.3.1); the transport's own list,
 *        which it keeps between interface scans, so nothing is built per packet
 * @param arrivedByBroadcast whether it was sent to a broadcast address (REBINDING vs RENEWING)
 * @param source the IP source address of the datagram (for relayed requests, the relay that sent
 *        it, which {@code limits.trusted-relays} checks); {@link Ipv4Address#ANY} when unknown
 */
public record RequestContext(Ipv4Address serverAddress, String interfaceName,
                             List<InterfaceAddress> interfaceNetworks, boolean arrivedByBroadcast, Ipv4Address source) {

    public RequestContext {
        interfaceNetworks = List.copyOf(interfaceNetworks);
        java.util.Objects.requireNonNull(source, "source");
    }

    /** A request whose IP source is not known. */
    public RequestContext(Ipv4Address serverAddress, String interfaceName, List<InterfaceAddress> interfaceNetworks,
                          boolean arrivedByBroadcast) {
        this(serverAddress, interfaceName, interfaceNetworks, arrivedByBroadcast, Ipv4Address.ANY);
    }

    /** A request that came by plain UDP to {@code serverAddress}, from a relay or a local test client. */
    public static RequestContext relayed(Ipv4Address serverAddress) {
        return new RequestContext(serverAddress, "", List.of(), false);
    }
}
