package dev.leasehold.engine;

import dev.leasehold.config.LimitsConfig;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.RelayAgentInformation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link LimitsConfig}: a pool must not be starved by a flood of new clients, by one
 * circuit or MAC vendor taking every address, by a client declining address after address, or
 * by a host on a directly attached LAN posing as a relay. Each refusal is a {@link DropReason},
 * so {@code /metrics} counts it by reason, and is logged at most once per reason every ten
 * seconds with the number held back.
 *
 * <p>Known clients (a lease record on the link, a reservation or an open offer) are never
 * limited: their renewals and returns go through whatever the limits say.
 *
 * <p>State lives across reloads (it belongs to {@link EngineCore}, not to a configuration) and is
 * guarded by the engine lock. Lease counts per circuit id, remote id and MAC prefix are kept in
 * memory from this server's own commits: they start empty after a restart and do not see other
 * servers' leases on a shared store (documented in docs/configuration.md).
 */
final class AbuseGuard {

    private static final Logger log = LoggerFactory.getLogger(AbuseGuard.class);
    /** Keys of rate buckets and decline histories kept at once; the least recently used go first. */
    private static final int MAX_KEYS = 65_536;
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private final Clock clock;
    private final Map<String, TokenBucket> buckets = lru();
    private final Map<ClientId, ArrayDeque<Instant>> declines = lru();
    /** Per address this server committed: the keys its lease counts under. */
    private final Map<Ipv4Address, List<String>> keysByAddress = new HashMap<>();
    private final Map<String, Integer> leasesByKey = new HashMap<>();
    private final Map<DropReason, Instant> lastLogged = new EnumMap<>(DropReason.class);
    private final Map<DropReason, Integer> heldBack = new EnumMap<>(DropReason.class);

    AbuseGuard(Clock clock) {
        this.clock = clock;
    }

    /** A refusal: why, for the counters, and what, for the log. */
    record Verdict(DropReason reason, String detail) {}

    /** Whether a request is served (perhaps as changed by the policy) or refused. */
    sealed interface Admission {
        record Serve(DhcpMessage request) implements Admission {}

        record Refuse(Verdict verdict) implements Admission {}
    }

    /**
     * Relay trust and option 82 without giaddr, for every request before it is served. Returns
     * the request to serve (option 82 removed under {@code ignore}) or a refusal.
     */
    Admission admit(DhcpMessage request, RequestContext ctx, LimitsConfig limits) {
        if (!request.giaddr().isAny()) {
            if (!limits.trustedRelays().isEmpty() && !limits.trustedRelays().contains(ctx.source())) {
                return new Admission.Refuse(refuse(DropReason.RELAY_UNTRUSTED, "relayed request (giaddr "
                        + request.giaddr() + ") from " + ctx.source() + ", which is not a trusted relay"));
            }
            return new Admission.Serve(request);
        }
        if (!request.options().contains(OptionCode.RELAY_AGENT_INFORMATION)) {
            return new Admission.Serve(request);
        }
        return switch (limits.option82WithoutGiaddr()) {
            case DROP -> new Admission.Refuse(refuse(DropReason.RELAY_UNTRUSTED,
                    "option 82 with giaddr 0 from " + ctx.source()));
            case IGNORE -> new Admission.Serve(request.toBuilder()
                    .options(request.options().toBuilder().remove(OptionCode.RELAY_AGENT_INFORMATION).build()).build());
            case USE -> new Admission.Serve(request);
        };
    }

    /**
     * Whether an unknown client may be given a new address in {@code subnet} now: the
     * new-client rate, the lease counts per circuit, remote id and MAC prefix, and (for an
     * offer) the share of the pool that offers to unknown clients may hold.
     */
    Optional<Verdict> mayGrantNew(DhcpMessage request, RequestContext ctx, SubnetRuntime subnet, LimitsConfig limits,
                                  OfferBook offers, boolean offering) {
        if (limits.newClients().isPresent()) {
            LimitsConfig.RateLimit rate = limits.newClients().get();
            String key = rateKey(rate.per(), request, ctx, subnet);
            TokenBucket bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate.burst(), clock.instant()));
            if (!bucket.take(rate.perSecond(), rate.burst(), clock.instant())) {
                return Optional.of(refuse(DropReason.RATE_LIMITED, "new clients from " + key + " above "
                        + rate.perSecond() + "/s"));
            }
        }
        for (LeaseKey k : leaseKeys(request, limits)) {
            // Outstanding offers count too: each would become a lease with its REQUEST.
            int held = leasesByKey.getOrDefault(k.key(), 0);
            int offered = offers.offersUnder(k.key());
            if (held + offered >= k.max()) {
                return Optional.of(refuse(DropReason.LEASE_LIMIT, k.key() + " already holds " + held
                        + " lease(s) and " + offered + " offer(s), at most " + k.max()));
            }
        }
        if (offering && limits.unknownOfferShare().isPresent()) {
            long size = 0;
            for (AddressPool pool : subnet.pools()) {
                size += pool.size();
            }
            long allowed = Math.max(1, (long) Math.floor(size * limits.unknownOfferShare().getAsDouble()));
            int newClientOffers = offers.newClientOffers(subnet.id());
            if (newClientOffers >= allowed) {
                return Optional.of(refuse(DropReason.OFFER_SHARE_LIMIT, "offers to unknown clients already hold "
                        + newClientOffers + " of subnet " + subnet.id() + "'s " + size + " addresses"));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code clientId} may decline another address now; counts it when it may. */
    Optional<Verdict> mayDecline(ClientId clientId, LimitsConfig limits) {
        if (limits.declines().isEmpty()) {
            return Optional.empty();
        }
        LimitsConfig.DeclineCap cap = limits.declines().get();
        Instant now = clock.instant();
        ArrayDeque<Instant> recent = declines.computeIfAbsent(clientId, c -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(cap.period()))) {
            recent.pollFirst();
        }
        if (recent.size() >= cap.max()) {
            return Optional.of(refuse(DropReason.DECLINE_LIMIT, clientId + " declined " + recent.size() + " addresses in "
                    + cap.period() + "; ignored"));
        }
        recent.addLast(now);
        return Optional.empty();
    }

    /** A lease this server committed for {@code request}: it counts under the request's keys. */
    void bound(Ipv4Address address, DhcpMessage request, LimitsConfig limits) {
        List<String> before = keysByAddress.get(address);
        unbound(address);
        List<String> names = new ArrayList<>(3);
        for (LeaseKey k : leaseKeys(request, limits)) {
            names.add(k.key());
        }
        if (before != null && !request.options().contains(OptionCode.RELAY_AGENT_INFORMATION)) {
            // A renewal comes by unicast, past the relay, so without option 82 (RFC 3046 §2.1):
            // the lease keeps counting for the circuit and remote id it was granted under.
            for (String key : before) {
                if (!key.startsWith("mac-prefix ") && !names.contains(key)) {
                    names.add(key);
                }
            }
        }
        if (names.isEmpty()) {
            return;
        }
        for (String key : names) {
            leasesByKey.merge(key, 1, Integer::sum);
        }
        keysByAddress.put(address, names);
    }

    /** The lease of {@code address} ended (released, expired, declined, deleted, replaced). */
    void unbound(Ipv4Address address) {
        List<String> names = keysByAddress.remove(address);
        if (names != null) {
            for (String key : names) {
                leasesByKey.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    /** The {@code max-leases} keys a lease or offer for {@code request} counts under. */
    static List<String> limitKeys(DhcpMessage request, LimitsConfig limits) {
        List<String> names = new ArrayList<>(3);
        for (LeaseKey k : leaseKeys(request, limits)) {
            names.add(k.key());
        }
        return names;
    }

    private record LeaseKey(String key, int max) {}

    private static List<LeaseKey> leaseKeys(DhcpMessage request, LimitsConfig limits) {
        List<LeaseKey> keys = new ArrayList<>(3);
        if (limits.leasesPerCircuitId().isPresent()) {
            relay(request, RelayAgentInformation.CIRCUIT_ID).ifPresent(id ->
                    keys.add(new LeaseKey("circuit-id " + id, limits.leasesPerCircuitId().getAsInt())));
        }
        if (limits.leasesPerRemoteId().isPresent()) {
            relay(request, RelayAgentInformation.REMOTE_ID).ifPresent(id ->
                    keys.add(new LeaseKey("remote-id " + id, limits.leasesPerRemoteId().getAsInt())));
        }
        if (limits.leasesPerMacPrefix().isPresent()) {
            LimitsConfig.MacPrefixLimit prefix = limits.leasesPerMacPrefix().get();
            HardwareAddress mac = request.hardwareAddress();
            byte[] bytes = mac.bytes();
            if (bytes.length >= prefix.length()) {
                keys.add(new LeaseKey("mac-prefix " + COLONS.formatHex(bytes, 0, prefix.length()), prefix.max()));
            }
        }
        return keys;
    }

    private static Optional<String> relay(DhcpMessage request, int subOption) {
        return request.relaySubOption(subOption).map(v -> COLONS.formatHex(v));
    }

    private static String rateKey(LimitsConfig.RateKey per, DhcpMessage request, RequestContext ctx, SubnetRuntime subnet) {
        return switch (per) {
            case CIRCUIT_ID -> "circuit-id " + relay(request, RelayAgentInformation.CIRCUIT_ID).orElse("(none)");
            case REMOTE_ID -> "remote-id " + relay(request, RelayAgentInformation.REMOTE_ID).orElse("(none)");
            case RELAY -> "relay " + request.giaddr();
            case INTERFACE -> "interface " + (ctx.interfaceName().isEmpty() ? "(unknown)" : ctx.interfaceName());
            case SUBNET -> "subnet " + subnet.id();
        };
    }

    private Verdict refuse(DropReason reason, String detail) {
        Instant now = clock.instant();
        Instant last = lastLogged.get(reason);
        if (last == null || !now.isBefore(last.plus(LOG_EVERY))) {
            int held = heldBack.getOrDefault(reason, 0);
            log.warn("limit {}: {}{}", reason, detail, held == 0 ? "" : " (" + held + " more since the last line)");
            lastLogged.put(reason, now);
            heldBack.put(reason, 0);
        } else {
            heldBack.merge(reason, 1, Integer::sum);
        }
        return new Verdict(reason, detail);
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }

    /** Tokens refill at the rate, up to {@code burst}; each new-client request takes one. */
    private static final class TokenBucket {
        private double tokens;
        private Instant updated;

        TokenBucket(int burst, Instant now) {
            this.tokens = burst;
            this.updated = now;
        }

        boolean take(double perSecond, int burst, Instant now) {
            double elapsed = Math.max(0, Duration.between(updated, now).toNanos() / 1e9);
            tokens = Math.min(burst, tokens + elapsed * perSecond);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
