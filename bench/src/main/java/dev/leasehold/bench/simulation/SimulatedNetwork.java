package dev.leasehold.bench.simulation;

import dev.leasehold.config.AddressRange;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network the simulated server serves, and the two configurations it alternates between at
 * each reload: site 0 is a LAN on {@code eth0} served directly, every other site sits behind a
 * relay agent whose address (giaddr, RFC 2131 §4.3.1) is the {@code .0.1} of its /16. Some clients
 * have reservations, half of them inside a pool and half outside. Site 1 answers a DISCOVER with
 * rapid commit (RFC 4039); site 2 limits its circuits (new clients per minute, leases per
 * circuit); the last, a small crowded site, runs out of addresses at busy hours.
 *
 * <p>Variant 0 is the base configuration. Variant 1 takes the last eighth of site 0's pool away,
 * adds a second pool of that size to the last site, and shortens the lease time: leases in the
 * removed range must then be refused at renewal, and the new range used.
 */
final class SimulatedNetwork {

    static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    /** A second server on every link, whose offers some clients take (RFC 2131 §4.3.2, SELECTING another server). */
    static final Ipv4Address OTHER_SERVER = Ipv4Address.parse("10.0.0.2");
    static final String INTERFACE = "eth0";
    /** The site that answers a DISCOVER with option 80 by an ACK at once (RFC 4039 §4). */
    static final int RAPID_COMMIT_SITE = 1;
    /** The site whose relay's circuits are limited ({@code limits}): new clients per minute, leases per circuit. */
    static final int LIMITED_SITE = 2;
    /** {@code limits.max-leases.per-circuit-id} at {@link #LIMITED_SITE}. */
    static final int LEASES_PER_CIRCUIT = 4;
    static final Duration OFFER_HOLD = Duration.ofSeconds(30);
    static final Duration DECLINE_PROBATION = Duration.ofHours(1);
    static final Duration RECLAIM_INTERVAL = Duration.ofSeconds(60);
    /** Share of the clients on the directly attached LAN. */
    static final double DIRECT_SHARE = 0.4;
    /** Share of the clients at the crowded site, whose pool holds about half of what they need at peak. */
    static final double CROWDED_SHARE = 0.02;
    private static final int MAX_POOL_PER_SITE = 60_000;
    private static final int RESERVATIONS_PER_SITE = 40;

    /** One /16 of the network: {@code 10.<n>.0.0/16}, its pool starting at {@code 10.<n>.1.0}. */
    record Site(int id, int number, Ipv4Address relay, Ipv4Address poolFirst, int poolSize) {
        boolean relayed() {
            return !relay.isAny();
        }

        String prefix() {
            return "10." + number + ".0.0/16";
        }

        Ipv4Address poolLast() {
            return Ipv4Address.ofLong(poolFirst.toLong() + poolSize - 1);
        }
    }

    private final List<Site> sites;
    private final Map<Integer, Ipv4Address> reservedByClient = new HashMap<>();
    private final Map<Ipv4Address, Integer> reservedByAddress = new HashMap<>();
    private final Map<Integer, Long> macs = new HashMap<>();
    private final int[] reservedPerSite;
    private final ServerConfig[] variants = new ServerConfig[2];

    /**
     * A network for {@code clients} over {@code duration}: pools sized for the expected number of
     * leases held at the busiest hour with some headroom, in as many /16 sites as that needs (at
     * least four, so relays are many).
     */
    SimulatedNetwork(int clients, Duration duration) {
        double hours = Math.max(1.0, duration.toMinutes() / 60.0);
        // Sessions (arrivals plus returns) times the hours each address stays held (session,
        // then the lease running out after a silent departure), at the diurnal peak, plus headroom.
        long total = Math.max(512, Math.round(clients * 1.4 * 6.0 * 1.8 / Math.max(hours, 6.0)));
        int siteCount = (int) Math.max(4, (total + MAX_POOL_PER_SITE - 1) / MAX_POOL_PER_SITE + 1);
        if (siteCount > 250) {
            throw new IllegalArgumentException("too many clients for the simulated network: " + clients);
        }
        List<Site> built = new ArrayList<>();
        for (int n = 0; n < siteCount; n++) {
            double share = n == 0 ? DIRECT_SHARE : n == siteCount - 1 ? CROWDED_SHARE
                    : (1 - DIRECT_SHARE - CROWDED_SHARE) / (siteCount - 2);
            // The last site outgrew its plan: its clients meet a full pool at busy hours, are
            // refused and retry.
            double fill = n == siteCount - 1 ? 0.5 : 1.0;
            int size = (int) Math.min(MAX_POOL_PER_SITE, Math.max(16, Math.round(total * share * fill)));
            built.add(new Site(n + 1, n, n == 0 ? Ipv4Address.ANY : Ipv4Address.parse("10." + n + ".0.1"),
                    Ipv4Address.parse("10." + n + ".1.0"), size));
        }
        sites = List.copyOf(built);
        reservedPerSite = new int[siteCount];
    }

    List<Site> sites() {
        return sites;
    }

    Site site(int index) {
        return sites.get(index);
    }

    /**
     * Gives {@code client} a reservation by MAC when its site has fewer than its share: alternately
     * the pool's last addresses (never handed to anyone else) and {@code 10.<n>.0.10} upwards,
     * outside it. Call before {@link #config}.
     */
    void maybeReserve(VirtualClient client) {
        Site site = sites.get(client.site);
        int onSite = reservedPerSite[client.site];
        if (onSite >= RESERVATIONS_PER_SITE) {
            return;
        }
        Ipv4Address address = onSite % 2 == 0
                ? Ipv4Address.ofLong(site.poolLast().toLong() - onSite / 2)
                : Ipv4Address.parse("10." + site.number() + ".0." + (10 + onSite / 2));
        reservedPerSite[client.site]++;
        reservedByClient.put(client.index, address);
        reservedByAddress.put(address, client.index);
        macs.put(client.index, client.mac);
    }

    Ipv4Address reservationOf(VirtualClient client) {
        return reservedByClient.get(client.index);
    }

    Set<Ipv4Address> reservedAddresses() {
        return Collections.unmodifiableSet(reservedByAddress.keySet());
    }

    /** The client index the address is reserved for, or -1. */
    int reservedFor(Ipv4Address address) {
        return reservedByAddress.getOrDefault(address, -1);
    }

    /** The site of a client, from a uniform draw in [0, 1): the LAN, the crowded site, or any other evenly. */
    int siteFor(double draw) {
        if (draw < DIRECT_SHARE) {
            return 0;
        }
        if (draw < DIRECT_SHARE + CROWDED_SHARE) {
            return sites.size() - 1;
        }
        double rest = (draw - DIRECT_SHARE - CROWDED_SHARE) / (1 - DIRECT_SHARE - CROWDED_SHARE);
        return 1 + (int) (rest * (sites.size() - 2));
    }

    /** The site whose /16 holds {@code address}, or -1. */
    int siteOf(Ipv4Address address) {
        int second = (address.bits() >>> 16) & 0xFF;
        return (address.bits() >>> 24) == 10 && second < sites.size() ? second : -1;
    }

    /** The dynamic ranges of site {@code index} in configuration {@code variant}. */
    List<AddressRange> pools(int index, int variant) {
        Site site = sites.get(index);
        if (variant == 0) {
            return List.of(new AddressRange(site.poolFirst(), site.poolLast()));
        }
        int eighth = Math.max(1, site.poolSize() / 8);
        if (index == 0) {
            return List.of(new AddressRange(site.poolFirst(), Ipv4Address.ofLong(site.poolLast().toLong() - eighth)));
        }
        if (index == sites.size() - 1) {
            Ipv4Address extraFirst = Ipv4Address.ofLong(site.poolLast().toLong() + 1);
            return List.of(new AddressRange(site.poolFirst(), site.poolLast()),
                    new AddressRange(extraFirst, Ipv4Address.ofLong(extraFirst.toLong() + eighth - 1)));
        }
        return List.of(new AddressRange(site.poolFirst(), site.poolLast()));
    }

    /** Whether {@code address} is a dynamic address of its site in {@code variant}. */
    boolean inPool(Ipv4Address address, int variant) {
        int site = siteOf(address);
        if (site < 0) {
            return false;
        }
        for (AddressRange r : pools(site, variant)) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The lease time granted in {@code variant} (clients send no option 51). */
    static Duration leaseTime(int variant) {
        return variant == 0 ? Duration.ofHours(4) : Duration.ofHours(3);
    }

    ServerConfig config(int variant) {
        if (variants[variant] == null) {
            String yaml = yaml(variant);
            try {
                variants[variant] = ConfigLoader.parse(yaml, "simulation-" + variant + ".yaml");
            } catch (ConfigException e) {
                throw new IllegalStateException("the simulated configuration is refused:\n" + e.getMessage(), e);
            }
        }
        return variants[variant];
    }

    String yaml(int variant) {
        StringBuilder y = new StringBuilder();
        y.append("authoritative: true\n");
        y.append("offer-hold: ").append(OFFER_HOLD.toSeconds()).append("s\n");
        y.append("decline-probation: ").append(DECLINE_PROBATION.toSeconds()).append("s\n");
        y.append("reclaim-interval: ").append(RECLAIM_INTERVAL.toSeconds()).append("s\n");
        y.append("valid-lifetime: ").append(leaseTime(variant).toSeconds()).append("s\n");
        y.append("min-lifetime: 10m\nmax-lifetime: 12h\nallocation: random\n");
        y.append("options: {domain-name-servers: [10.0.0.53], domain-name: sim.example}\n");
        y.append("subnets:\n");
        for (int i = 0; i < sites.size(); i++) {
            Site s = sites.get(i);
            y.append("  - id: ").append(s.id()).append('\n');
            y.append("    subnet: ").append(s.prefix()).append('\n');
            if (!s.relayed()) {
                y.append("    interface: ").append(INTERFACE).append('\n');
            }
            if (i == RAPID_COMMIT_SITE) {
                y.append("    rapid-commit: true\n");
            }
            if (i == LIMITED_SITE) {
                y.append("    limits:\n");
                y.append("      new-clients: {rate: 4/m, burst: 4, per: circuit-id}\n");
                y.append("      max-leases: {per-circuit-id: ").append(LEASES_PER_CIRCUIT).append("}\n");
            }
            y.append("    pools:\n");
            for (AddressRange r : pools(i, variant)) {
                y.append("      - {range: ").append(r.first()).append('-').append(r.last()).append("}\n");
            }
            y.append("    options: {routers: 10.").append(s.number()).append(".0.1}\n");
            List<Map.Entry<Ipv4Address, Integer>> reserved = reservedByAddress.entrySet().stream()
                    .filter(e -> siteOf(e.getKey()) == s.number()).sorted(Map.Entry.comparingByKey()).toList();
            if (!reserved.isEmpty()) {
                y.append("    reservations:\n");
                for (Map.Entry<Ipv4Address, Integer> r : reserved) {
                    y.append("      - {hw-address: \"").append(macText(r.getValue())).append("\", ip-address: ")
                            .append(r.getKey()).append("}\n");
                }
            }
        }
        return y.toString();
    }

    private String macText(int clientIndex) {
        long mac = macs.get(clientIndex);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format("%02x", (mac >>> (40 - 8 * i)) & 0xFF));
        }
        return b.toString();
    }
}
