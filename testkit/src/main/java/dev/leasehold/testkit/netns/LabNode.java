package dev.leasehold.testkit.netns;

import java.util.Optional;

/**
 * One end of the lab's LAN: a network namespace and the veth interface it has on a bridge.
 *
 * @param namespace     the network namespace ({@code ip netns exec NAMESPACE ...})
 * @param interfaceName the veth inside it; unique on this host, because dhcpcd names its pid and
 *                      lease files after the interface
 * @param mac           the interface's locally administered MAC address, unique per lab
 * @param address       the configured IPv4 address with prefix ("192.0.2.1/24"); empty for
 *                      clients, whose address is the DHCP server's to give
 */
public record LabNode(String namespace, String interfaceName, String mac, Optional<String> address) {

    /** The configured IPv4 address without its prefix length. */
    public Optional<String> ipv4() {
        return address.map(cidr -> cidr.substring(0, cidr.indexOf('/')));
    }
}
