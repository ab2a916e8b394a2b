package dev.leasehold.testkit.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * What a reference server hands out, in terms every {@link ReferenceServer} can express, so one
 * test runs unchanged against Kea, dnsmasq and ISC dhcpd.
 *
 * @param interfaces    interfaces the server listens on, in its namespace
 * @param subnets       subnets with one pool each; the server picks one by arrival interface or giaddr (RFC 2131 §4.3.1)
 * @param dnsServers    option 6 (RFC 2132 §3.8)
 * @param domainName    option 15 (RFC 2132 §3.17)
 * @param validLifetime option 51, seconds (dnsmasq raises anything below 120)
 * @param renewTimer    T1, option 58 (RFC 2132 §9.11)
 * @param rebindTimer   T2, option 59 (RFC 2132 §9.12)
 */
public record ServerSettings(List<String> interfaces, List<LabSubnet> subnets, List<String> dnsServers, String domainName,
                             int validLifetime, int renewTimer, int rebindTimer) {

    public ServerSettings {
        interfaces = List.copyOf(interfaces);
        subnets = List.copyOf(subnets);
        dnsServers = List.copyOf(dnsServers);
    }

    /** Serving the lab's server veth: 192.0.2.100–199, router 192.0.2.1, DNS 192.0.2.53 and .54, lease 600 s. */
    public static ServerSettings forLab(NetnsLab lab) {
        return new ServerSettings(List.of(lab.server().interfaceName()), List.of(LabSubnet.SERVER_LAN),
                List.of("192.0.2.53", "192.0.2.54"), "lab.example", 600, 300, 525);
    }

    /** Also serving the relayed LAN (198.51.100.100–199, router 198.51.100.1), reached through a relay. */
    public ServerSettings withRelayedSubnet() {
        List<LabSubnet> more = new ArrayList<>(subnets);
        more.add(LabSubnet.RELAYED_LAN);
        return new ServerSettings(interfaces, more, dnsServers, domainName, validLifetime, renewTimer, rebindTimer);
    }

    public ServerSettings withLifetimes(int valid, int renew, int rebind) {
        return new ServerSettings(interfaces, subnets, dnsServers, domainName, valid, renew, rebind);
    }
}
