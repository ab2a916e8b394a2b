package dev.leasehold.engine;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;

/**
 * What the server knows about a request besides its bytes.
 *
 * @param serverAddress our address on the path the request came by: option 54 of every reply
 *        (RFC 2131 §4.3.1) and the address a SELECTING client names
 * @param interfaceName the interface it arrived on, or empty when unknown (plain UDP)
 * @param interfaceNetworks the networks configured on that interface (address and prefix), used
 *        to pick the subnet of a directly attached client (RFC 2131 §4.3.1)
 * @param arrivedByBroadcast whether it was sent to a broadcast address (REBINDING vs RENEWING)
 */
public record RequestContext(Ipv4Address serverAddress, String interfaceName,
                             List<InterfaceNetwork> interfaceNetworks, boolean arrivedByBroadcast) {

    public RequestContext {
        interfaceNetworks = List.copyOf(interfaceNetworks);
    }

    /** A request that came by plain UDP to {@code serverAddress}, from a relay or a local test client. */
    public static RequestContext relayed(Ipv4Address serverAddress) {
        return new RequestContext(serverAddress, "", List.of(), false);
    }

    /** One IPv4 address of an interface with its prefix length. */
    public record InterfaceNetwork(Ipv4Address address, int prefixLength) {}
}
