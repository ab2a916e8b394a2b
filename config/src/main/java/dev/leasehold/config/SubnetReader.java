package dev.leasehold.config;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one entry of {@code subnets} and checks everything that lies inside it: pools within the
 * prefix and apart from each other, exclusions within the pools, reservations within the prefix
 * and unique by address and by client, and its lease timers over the top-level ones.
 * {@link ServerConfigReader} checks subnets against each other.
 */
final class SubnetReader {

    /** What the checks between subnets need, kept even when the subnet itself has problems. */
    record Draft(Optional<Located<Integer>> id, Optional<Located<Prefix>> prefix,
                 List<Located<Ipv4Address>> relayAddresses, Optional<Located<String>> interfaceName,
                 Optional<SubnetConfig> config) {
    }

    private final OptionsReader options;
    private final PoolReader pools;
    private final ReservationReader reservations;
    private final TimerSettings topLevelTimers;
    private DdnsReader.Draft topLevelDdns = DdnsReader.Draft.NONE;
    private boolean ddnsEnabled;

    SubnetReader(OptionsReader options, Set<String> classNames, TimerSettings topLevelTimers) {
        this.options = options;
        this.pools = new PoolReader(classNames);
        this.reservations = new ReservationReader(options);
        this.topLevelTimers = topLevelTimers;
    }

    /** The top-level {@code ddns-*} keys subnets inherit, and whether a {@code dhcp-ddns} section enables updates. */
    SubnetReader withDdns(DdnsReader.Draft topLevel, boolean enabled) {
        this.topLevelDdns = topLevel;
        this.ddnsEnabled = enabled;
        return this;
    }

    Optional<Draft> read(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Optional<Located<Integer>> id = fields.required("id", Scalars.integer(1, Integer.MAX_VALUE))
                .map(v -> new Located<>(v.intValue(), fields.entry("id").orElseThrow().value(), fields.path("id")));
        Optional<Located<Prefix>> prefix = fields.required("subnet", Scalars.PREFIX)
                .map(p -> new Located<>(p, fields.entry("subnet").orElseThrow().value(), fields.path("subnet")));
        Optional<Located<String>> interfaceName = fields.optional("interface", Scalars.NAME_TEXT)
                .map(n -> new Located<>(n, fields.entry("interface").orElseThrow().value(), fields.path("interface")));
        List<Located<Ipv4Address>> relays = fields.optional("relay-addresses", Scalars.locatedList(Scalars.ADDRESS))
                .orElse(List.of());
        List<PoolReader.Draft> poolDrafts = fields.optional("pools", Scalars.listOf(pools::read)).orElse(List.of());
        List<Located<AddressRange>> exclusions = fields.optional("exclusions", Scalars.locatedList(Scalars.RANGE))
                .orElse(List.of());
        List<OptionSetting> settings = fields.optional("options", options.reader()).orElse(List.of());
        boolean rapidCommit = fields.optional("rapid-commit", Scalars.BOOLEAN).orElse(false);
        Optional<Ipv4Address> serverId = fields.optional("server-id", Scalars.ADDRESS);
        String sharedNetwork = fields.optional("shared-network", Scalars.NAME_TEXT).orElse("");
        Optional<LimitsConfig> limits = fields.optional("limits", LimitsReader.LIMITS);
        TimerSettings timerSettings = TimerSettings.read(fields);
        List<ReservationReader.Draft> reservationDrafts = fields.optional("reservations",
                Scalars.listOf(reservations::read)).orElse(List.of());
        DdnsSettings ddns = DdnsReader.settings(fields).over(topLevelDdns).resolve(ddnsEnabled);
        fields.rejectUnknown();

        prefix.ifPresent(p -> {
            checkPools(p, poolDrafts, problems);
            checkReservations(p, reservationDrafts, problems);
        });
        checkExclusions(poolDrafts, exclusions, problems);
        checkRelays(relays, problems);
        Optional<LeaseTimers> timers = TimerRules.resolve(topLevelTimers, timerSettings, problems);

        Optional<SubnetConfig> config = Optional.empty();
        if (problems.count() == before && id.isPresent() && prefix.isPresent() && timers.isPresent()) {
            config = Optional.of(new SubnetConfig(id.get().value(), prefix.get().value(),
                    poolDrafts.stream().map(PoolReader.Draft::pool).toList(),
                    exclusions.stream().map(Located::value).toList(), settings,
                    reservationDrafts.stream().map(ReservationReader.Draft::reservation).toList(),
                    relays.stream().map(Located::value).toList(), interfaceName.map(Located::value).orElse(""),
                    timers.get(), rapidCommit, serverId, sharedNetwork, limits, ddns));
        }
        return Optional.of(new Draft(id, prefix, relays, interfaceName, config));
    }

    private static void checkPools(Located<Prefix> located, List<PoolReader.Draft> drafts, Problems problems) {
        Prefix prefix = located.value();
        for (PoolReader.Draft draft : drafts) {
            boolean startOutside = !prefix.contains(draft.start().value());
            boolean endOutside = !prefix.contains(draft.end().value());
            if (draft.sameNode() && (startOutside || endOutside)) {
                problems.report(draft.start().node(), draft.start().path(), "the pool " + draft.pool().range()
                        + " is not inside the subnet " + prefix);
                continue;
            }
            if (startOutside) {
                problems.report(draft.start().node(), draft.start().path(), draft.start().value()
                        + " is not inside the subnet " + prefix);
            }
            if (endOutside) {
                problems.report(draft.end().node(), draft.end().path(), draft.end().value()
                        + " is not inside the subnet " + prefix);
            }
            if (startOutside || endOutside) {
                continue;
            }
            // RFC 3021 §2: /31 and /32 have no network or broadcast address to keep out of a pool.
            if (prefix.length() <= 30) {
                for (Ipv4Address special : List.of(prefix.network(), prefix.broadcast())) {
                    if (draft.pool().range().contains(special)) {
                        Located<Ipv4Address> at = special.equals(prefix.network()) ? draft.start() : draft.end();
                        problems.report(at.node(), at.path(), "the pool includes " + special + ", the "
                                + (special.equals(prefix.network()) ? "network" : "broadcast") + " address of "
                                + prefix + ", which no client may be given");
                    }
                }
            }
        }
        // Sorting by start finds every overlap by comparing neighbours; report at the later one in the file.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> drafts.get(i).pool().range().first()));
        int reach = -1;
        for (int k = 0; k < order.size(); k++) {
            int current = order.get(k);
            if (reach >= 0 && drafts.get(reach).pool().range().overlaps(drafts.get(current).pool().range())) {
                int earlier = Math.min(reach, current);
                int later = Math.max(reach, current);
                PoolReader.Draft blamed = drafts.get(later);
                problems.report(blamed.start().node(), blamed.path(), "the pool " + blamed.pool().range()
                        + " overlaps " + lastSegment(drafts.get(earlier).path()) + " ("
                        + drafts.get(earlier).pool().range() + ")");
            }
            if (reach < 0 || drafts.get(current).pool().range().last().compareTo(drafts.get(reach).pool().range().last()) > 0) {
                reach = current;
            }
        }
    }

    private static void checkExclusions(List<PoolReader.Draft> pools, List<Located<AddressRange>> exclusions,
                                        Problems problems) {
        List<AddressRange> ranges = pools.stream().map(d -> d.pool().range()).toList();
        for (int i = 0; i < exclusions.size(); i++) {
            Located<AddressRange> exclusion = exclusions.get(i);
            Optional<Ipv4Address> uncovered = firstUncovered(exclusion.value(), ranges);
            if (uncovered.isPresent()) {
                String what = exclusion.value().size() == 1 ? exclusion.value().first().toString()
                        : exclusion.value() + " (from " + uncovered.get() + ")";
                problems.report(exclusion.node(), exclusion.path(), what + " is outside every pool of the subnet;"
                        + " an exclusion only takes addresses out of pools");
            }
            for (int j = 0; j < i; j++) {
                if (exclusions.get(j).value().overlaps(exclusion.value())) {
                    problems.report(exclusion.node(), exclusion.path(), exclusion.value() + " overlaps "
                            + lastSegment(exclusions.get(j).path()) + " (" + exclusions.get(j).value() + ")");
                }
            }
        }
    }

    /** The first address of {@code range} that no pool holds. */
    private static Optional<Ipv4Address> firstUncovered(AddressRange range, List<AddressRange> pools) {
        long next = range.first().toLong();
        boolean advanced = true;
        while (next <= range.last().toLong() && advanced) {
            advanced = false;
            for (AddressRange pool : pools) {
                if (pool.first().toLong() <= next && next <= pool.last().toLong()) {
                    next = pool.last().toLong() + 1;
                    advanced = true;
                }
            }
        }
        return next <= range.last().toLong() ? Optional.of(Ipv4Address.ofLong(next)) : Optional.empty();
    }

    private static void checkReservations(Located<Prefix> located, List<ReservationReader.Draft> drafts,
                                          Problems problems) {
        Prefix prefix = located.value();
        Map<Ipv4Address, ReservationReader.Draft> byAddress = new HashMap<>();
        Map<ClientId, ReservationReader.Draft> byClient = new HashMap<>();
        for (ReservationReader.Draft draft : drafts) {
            Located<Ipv4Address> address = draft.address();
            if (!prefix.contains(address.value())) {
                problems.report(address.node(), address.path(), address.value() + " is not inside the subnet " + prefix);
            } else if (prefix.length() <= 30
                    && (address.value().equals(prefix.network()) || address.value().equals(prefix.broadcast()))) {
                problems.report(address.node(), address.path(), address.value() + " is the "
                        + (address.value().equals(prefix.network()) ? "network" : "broadcast") + " address of " + prefix);
            }
            ReservationReader.Draft sameAddress = byAddress.putIfAbsent(address.value(), draft);
            if (sameAddress != null) {
                problems.report(address.node(), address.path(), address.value() + " is already reserved by "
                        + lastSegment(sameAddress.path()) + " (" + sameAddress.describeClient() + ")");
            }
            ReservationReader.Draft sameClient = byClient.putIfAbsent(draft.clientKey(), draft);
            if (sameClient != null) {
                String how = sameClient.describeClient().equals(draft.describeClient()) ? ""
                        : ", which is the same client: a client without option 61 is known by 01 followed by its MAC"
                        + " (RFC 2131 §4.2)";
                problems.report(draft.client().node(), draft.client().path(), draft.describeClient()
                        + " already has a reservation in this subnet: " + lastSegment(sameClient.path()) + " ("
                        + sameClient.describeClient() + ")" + how);
            }
        }
    }

    private static void checkRelays(List<Located<Ipv4Address>> relays, Problems problems) {
        for (int i = 0; i < relays.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (relays.get(i).value().equals(relays.get(j).value())) {
                    problems.report(relays.get(i).node(), relays.get(i).path(), relays.get(i).value()
                            + " is listed twice");
                    break;
                }
            }
        }
    }

    /** "pools[0]" of "subnets[1].pools[0]". */
    static String lastSegment(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
