package dev.leasehold.testkit.netns;

/**
 * One IPv4 subnet a reference server serves, with one dynamic pool and a router.
 *
 * @param prefix    "192.0.2.0/24"
 * @param poolFirst first address of the dynamic pool
 * @param poolLast  last address of the dynamic pool
 * @param router    option 3 (RFC 2132 §3.5) for this subnet
 */
public record LabSubnet(String prefix, String poolFirst, String poolLast, String router) {

    public static final LabSubnet SERVER_LAN = new LabSubnet("192.0.2.0/24", "192.0.2.100", "192.0.2.199", "192.0.2.1");
    public static final LabSubnet RELAYED_LAN = new LabSubnet("198.51.100.0/24", "198.51.100.100", "198.51.100.199", "198.51.100.1");

    /** "192.0.2.0" */
    public String network() {
        return prefix.substring(0, prefix.indexOf('/'));
    }

    public int prefixLength() {
        return Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
    }

    /** Dotted-quad netmask ("255.255.255.0"), as dnsmasq and dhcpd configs want it (RFC 2132 §3.3). */
    public String netmask() {
        long mask = prefixLength() == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength())) & 0xFFFFFFFFL;
        return "%d.%d.%d.%d".formatted(mask >> 24 & 255, mask >> 16 & 255, mask >> 8 & 255, mask & 255);
    }
}
