package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinitions;
import dev.leasehold.wire.OptionValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a lease tells the client to configure, read from its DHCPACK: the address and prefix, the
 * routes, the MTU and the resolver settings. Malformed options are skipped (read as absent), as a
 * client must not fail on a server's odd option.
 *
 * @param address      yiaddr
 * @param prefixLength from option 1 (RFC 2132 §3.3); without it, the address's class (RFC 950 era default)
 * @param broadcast    option 28 (RFC 2132 §5.3), else the directed broadcast of the prefix
 * @param routes       the routes to install: option 121 when present (RFC 3442 §1: the client then MUST
 *                     ignore option 3), else a default route via the first router of option 3 (RFC 2132 §3.5)
 * @param routers      option 3 as sent
 * @param mtu          option 26 (RFC 2132 §5.1), when present and at least 68 (RFC 791's minimum)
 * @param dnsServers   option 6 (RFC 2132 §3.8)
 * @param domainName   option 15 (RFC 2132 §3.17)
 * @param searchList   option 119 (RFC 3397)
 * @param serverId     option 54
 * @param leaseSeconds option 51
 * @param expiresAt    when the lease ends
 */
public record LeaseParameters(Ipv4Address address, int prefixLength, Ipv4Address broadcast, List<Route> routes,
                              List<Ipv4Address> routers, OptionalInt mtu, List<Ipv4Address> dnsServers,
                              Optional<String> domainName, List<String> searchList, Ipv4Address serverId,
                              long leaseSeconds, Instant expiresAt) {

    /** RFC 791: every IPv4 module must handle datagrams of 68 octets; a smaller option 26 is ignored. */
    static final int MINIMUM_MTU = 68;

    /** A lease time of 0xFFFFFFFF means infinity (RFC 2131 §3.3). */
    public static final long INFINITE = 0xFFFFFFFFL;

    /** One route: {@code destination/prefixLength} via {@code router}, or on-link when the router is 0.0.0.0 (RFC 3442 §3). */
    public record Route(Ipv4Address destination, int prefixLength, Ipv4Address router) {
        public boolean isDefault() {
            return prefixLength == 0;
        }

        public boolean onLink() {
            return router.isAny();
        }

        /** "default" or "10.0.0.0/8", as {@code ip route} writes destinations. */
        public String destinationText() {
            return isDefault() ? "default" : destination + "/" + prefixLength;
        }
    }

    public LeaseParameters {
        routes = List.copyOf(routes);
        routers = List.copyOf(routers);
        dnsServers = List.copyOf(dnsServers);
        searchList = List.copyOf(searchList);
    }

    public static LeaseParameters from(Binding binding) {
        DhcpMessage ack = binding.ack();
        Ipv4Address address = binding.address();
        int prefix = value(ack, OptionCode.SUBNET_MASK) instanceof OptionValue.Address(Ipv4Address mask) && isMask(mask)
                ? Integer.bitCount(mask.bits()) : classfulPrefix(address);
        Ipv4Address broadcast = value(ack, OptionCode.BROADCAST_ADDRESS) instanceof OptionValue.Address(Ipv4Address b)
                ? b : directedBroadcast(address, prefix);
        List<Ipv4Address> routers = addresses(ack, OptionCode.ROUTERS);
        List<Route> routes = new ArrayList<>();
        if (value(ack, OptionCode.CLASSLESS_STATIC_ROUTES) instanceof OptionValue.ClasslessRoutes(var classless)) {
            for (OptionValue.ClasslessRoute r : classless) {
                routes.add(new Route(r.destination(), r.prefixLength(), r.router()));
            }
        } else if (!routers.isEmpty()) {
            routes.add(new Route(Ipv4Address.ANY, 0, routers.getFirst()));
        }
        OptionalInt mtu = value(ack, OptionCode.INTERFACE_MTU) instanceof OptionValue.Unsigned(long m) && m >= MINIMUM_MTU
                ? OptionalInt.of((int) m) : OptionalInt.empty();
        Optional<String> domain = value(ack, OptionCode.DOMAIN_NAME) instanceof OptionValue.Text(String t) && !t.isBlank()
                ? Optional.of(t.strip()) : Optional.empty();
        List<String> search = value(ack, OptionCode.DOMAIN_SEARCH) instanceof OptionValue.DomainList(List<String> names)
                ? names : List.of();
        return new LeaseParameters(address, prefix, broadcast, routes, routers, mtu, addresses(ack, OptionCode.DOMAIN_NAME_SERVERS),
                domain, search, binding.serverId(), binding.leaseTime().toSeconds(), binding.expiresAt());
    }

    /** "192.0.2.100/24" */
    public String cidr() {
        return address + "/" + prefixLength;
    }

    /** The netmask of the prefix, dotted quad. */
    public Ipv4Address netmask() {
        return new Ipv4Address(prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
    }

    /** The network number of the prefix. */
    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & netmask().bits());
    }

    /** The search domains for resolv.conf: option 119 when present, else the domain name of option 15. */
    public List<String> effectiveSearch() {
        return !searchList.isEmpty() ? searchList : domainName.map(List::of).orElse(List.of());
    }

    public boolean infinite() {
        return leaseSeconds == INFINITE;
    }

    /** Whether {@code router} lies inside the lease's prefix (else a route via it needs {@code onlink}). */
    public boolean onLinkRouter(Ipv4Address router) {
        return (router.bits() & netmask().bits()) == network().bits();
    }

    private static OptionValue value(DhcpMessage m, int code) {
        byte[] v = m.options().getUnsafe(code);
        if (v == null) {
            return null;
        }
        return OptionDefinitions.standard().byCode(code).map(d -> d.type().decode(v)).orElse(null);
    }

    private static List<Ipv4Address> addresses(DhcpMessage m, int code) {
        return value(m, code) instanceof OptionValue.Addresses(List<Ipv4Address> list) ? list : List.of();
    }

    static boolean isMask(Ipv4Address mask) {
        int bits = mask.bits();
        return (~bits & (~bits + 1)) == 0; // the ones are contiguous from the top
    }

    static int classfulPrefix(Ipv4Address a) {
        int first = a.bits() >>> 24;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    private static Ipv4Address directedBroadcast(Ipv4Address a, int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new Ipv4Address(prefix >= 31 ? a.bits() : (a.bits() & mask) | ~mask);
    }
}
