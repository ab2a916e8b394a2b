package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Defences of the pools against a hostile or broken neighbour, in the spirit of Kea's limits
 * hook but built in (docs/configuration.md, "Limits"). Known clients — those with a lease
 * record on the link or a reservation — renew and come back whatever these say; the limits
 * apply to clients the server does not know yet.
 *
 * @param newClients a token bucket on DISCOVERs (and address-taking REQUESTs) from unknown
 *        clients, per key; empty: no rate limit
 * @param leasesPerCircuitId at most this many active leases per relay circuit id (option 82.1)
 * @param leasesPerRemoteId at most this many active leases per relay remote id (option 82.2)
 * @param leasesPerMacPrefix at most so many active leases per MAC prefix of a given length
 * @param unknownOfferShare the share (0 < s ≤ 1) of a subnet's dynamic addresses that offers to
 *        unknown clients may hold at once, so a flood of DISCOVERs cannot lock out the rest
 * @param declines at most so many DECLINEs per client per period; more are ignored
 * @param trustedRelays the source addresses relayed requests (giaddr set) may come from; empty:
 *        any. A host on a directly attached LAN can set giaddr and option 82 itself and pose
 *        as a relay for another subnet or circuit; with a list, such requests are dropped
 * @param option82WithoutGiaddr what a request with option 82 but giaddr 0 gets (RFC 3046 §2.1
 *        tells relays to drop those from untrusted circuits; a layer-2 switch doing DHCP
 *        snooping adds option 82 without setting giaddr)
 */
public record LimitsConfig(Optional<RateLimit> newClients, OptionalInt leasesPerCircuitId, OptionalInt leasesPerRemoteId,
                           Optional<MacPrefixLimit> leasesPerMacPrefix, OptionalDouble unknownOfferShare,
                           Optional<DeclineCap> declines, List<Ipv4Address> trustedRelays,
                           Option82WithoutGiaddr option82WithoutGiaddr) {

    /** No limits, every relay trusted, option 82 without giaddr used as sent: how Kea and ISC dhcpd behave. */
    public static final LimitsConfig NONE = new LimitsConfig(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
            Optional.empty(), OptionalDouble.empty(), Optional.empty(), List.of(), Option82WithoutGiaddr.USE);

    public LimitsConfig {
        Objects.requireNonNull(newClients, "newClients");
        Objects.requireNonNull(leasesPerCircuitId, "leasesPerCircuitId");
        Objects.requireNonNull(leasesPerRemoteId, "leasesPerRemoteId");
        Objects.requireNonNull(leasesPerMacPrefix, "leasesPerMacPrefix");
        Objects.requireNonNull(unknownOfferShare, "unknownOfferShare");
        Objects.requireNonNull(declines, "declines");
        trustedRelays = List.copyOf(trustedRelays);
        Objects.requireNonNull(option82WithoutGiaddr, "option82WithoutGiaddr");
    }

    /** New-client requests per second (a token bucket of {@code burst} tokens) per {@code per}. */
    public record RateLimit(double perSecond, int burst, RateKey per) {}

    /** What a rate limit counts by. */
    public enum RateKey { CIRCUIT_ID, REMOTE_ID, RELAY, INTERFACE, SUBNET }

    /** At most {@code max} active leases per MAC prefix of {@code length} bytes (3: the OUI). */
    public record MacPrefixLimit(int length, int max) {}

    /** At most {@code max} DECLINEs per client in {@code period}. */
    public record DeclineCap(int max, Duration period) {}

    /** See {@link LimitsConfig#option82WithoutGiaddr()}. */
    public enum Option82WithoutGiaddr {
        /** Use it as sent (classes, limits, echo): a trusted layer-2 relay agent added it. */
        USE,
        /** Serve the request as if option 82 were absent: a host may have made it up. */
        IGNORE,
        /** Drop the request. */
        DROP
    }
}
