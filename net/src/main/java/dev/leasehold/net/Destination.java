package dev.leasehold.net;

import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;

/**
 * Where a reply goes, as RFC 2131 §4.1 distinguishes: an IP unicast (a relay, or a client that
 * has an address), a broadcast on the arrival link, or a link-layer unicast to a client that
 * has no address yet. The server decides which; a transport carries it out.
 */
public sealed interface Destination {

    /** An ordinary UDP unicast. */
    record Unicast(Ipv4Address address, int port) implements Destination {}

    /** 255.255.255.255 on the interface the request came in on (empty name: any). */
    record Broadcast(int port, String interfaceName) implements Destination {}

    /**
     * A frame to {@code hardwareAddress} carrying a datagram to {@code address}, which the client
     * does not have configured yet (RFC 2131 §4.1, "unicasts ... to the client's hardware address
     * and 'yiaddr' address"). A transport that cannot do this broadcasts instead.
     */
    record LinkLayerUnicast(HardwareAddress hardwareAddress, Ipv4Address address, int port, String interfaceName)
            implements Destination {}

    /**
     * A datagram to {@code address}, which a directly attached client has configured (ciaddr of
     * a RENEWING, REBINDING or INFORM request, RFC 2131 §4.1 and §4.3.5), sent as a frame straight
     * to {@code hardwareAddress} on {@code interfaceName}: the reply then does not wait for ARP,
     * which a client may not answer in time (or at all) while it renews. A transport that cannot
     * build frames sends an ordinary IP unicast to {@code address}.
     */
    record AddressedClientUnicast(HardwareAddress hardwareAddress, Ipv4Address address, int port, String interfaceName)
            implements Destination {}
}
