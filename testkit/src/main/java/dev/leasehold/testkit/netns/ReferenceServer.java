package dev.leasehold.testkit.netns;

import java.util.List;

/**
 * An independently written DHCPv4 server from Debian, run in a lab namespace as the yardstick
 * for the Leasehold client and as the competitor in benchmarks.
 */
public sealed interface ReferenceServer permits KeaDhcp4, Dnsmasq, IscDhcpd {

    /** The executable, for {@link LabRequirements#unmetReason}. */
    String binary();

    /** Writes the server's config into the lab, starts it in {@code namespace} and waits (bounded) until it serves. */
    LabProcess start(NetnsLab lab, String namespace, ServerSettings settings);

    /** Text the server logs when it acknowledges a lease (RFC 2131 §4.3.1 DHCPACK). */
    String ackLogMarker();

    /** Text the server logs when a client releases its lease (RFC 2131 §4.3.4). */
    String releaseLogMarker();

    /** Kea, dnsmasq and ISC dhcpd. */
    static List<ReferenceServer> all() {
        return List.of(new KeaDhcp4(), new Dnsmasq(), new IscDhcpd());
    }
}
