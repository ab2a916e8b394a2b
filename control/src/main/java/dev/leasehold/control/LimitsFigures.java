package dev.leasehold.control;

import dev.leasehold.config.LimitsConfig;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.EngineCounters;
import dev.leasehold.wire.Ipv4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code limits} in force per subnet (its own block or the top level's) and the requests
 * each limit refused since start: the {@code limits} field of {@code GET /statistics}, which the
 * dashboard's Limits panel shows (docs/operations.md). The drops are counted since start, not
 * since the last statistics reset, so that they match {@code /metrics}.
 */
final class LimitsFigures {

    /** The drop reasons that only {@code limits} cause, in the order the dashboard lists them. */
    static final List<DropReason> REASONS = List.of(DropReason.RATE_LIMITED, DropReason.LEASE_LIMIT,
            DropReason.OFFER_SHARE_LIMIT, DropReason.DECLINE_LIMIT, DropReason.RELAY_UNTRUSTED);

    private LimitsFigures() {
    }

    static Map<String, Object> of(ServerConfig config, EngineCounters counters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("top-level", describe(config.limits()));
        body.put("subnets", config.subnets().stream().map(s -> subnet(config, s)).toList());
        Map<String, Object> dropped = new LinkedHashMap<>();
        for (DropReason r : REASONS) {
            dropped.put(StatusApi.name(r), counters.droppedCount(r));
        }
        body.put("dropped-since-start", dropped);
        return body;
    }

    private static Map<String, Object> subnet(ServerConfig config, SubnetConfig subnet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", subnet.id());
        m.put("subnet", subnet.prefix().toString());
        m.put("from", subnet.limits().isPresent() ? "subnet" : "top-level");
        m.putAll(describe(config.limitsFor(subnet)));
        return m;
    }

    /** One limits block; an absent limit is null, so that every key is always there. */
    static Map<String, Object> describe(LimitsConfig l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("new-clients", l.newClients().map(r -> {
            Map<String, Object> rate = new LinkedHashMap<>();
            rate.put("per-second", r.perSecond());
            rate.put("burst", r.burst());
            rate.put("per", label(r.per()));
            return rate;
        }).orElse(null));
        Map<String, Object> max = new LinkedHashMap<>();
        max.put("per-circuit-id", l.leasesPerCircuitId().isPresent() ? l.leasesPerCircuitId().getAsInt() : null);
        max.put("per-remote-id", l.leasesPerRemoteId().isPresent() ? l.leasesPerRemoteId().getAsInt() : null);
        max.put("per-mac-prefix", l.leasesPerMacPrefix()
                .map(p -> (Object) Map.of("length", p.length(), "max", p.max())).orElse(null));
        m.put("max-leases", max);
        m.put("unknown-offer-share", l.unknownOfferShare().isPresent() ? l.unknownOfferShare().getAsDouble() : null);
        m.put("declines", l.declines()
                .map(d -> (Object) Map.of("max", d.max(), "per-seconds", d.period().toSeconds())).orElse(null));
        m.put("trusted-relays", l.trustedRelays().stream().map(Ipv4Address::toString).toList());
        m.put("option-82-without-giaddr", label(l.option82WithoutGiaddr()));
        return m;
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
