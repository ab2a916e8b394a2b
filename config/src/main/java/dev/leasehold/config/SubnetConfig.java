package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One served IPv4 subnet.
 *
 * @param id a stable number that leases are filed under; unique; survives renumbering
 * @param prefix the network
 * @param pools the dynamic ranges, inside the prefix, not overlapping
 * @param exclusions addresses inside pools never handed out dynamically
 * @param options options for this subnet, overriding global ones
 * @param reservations fixed addresses for known clients
 * @param relayAddresses extra giaddr values that select this subnet (a relay whose own address
 *        lies outside the prefix, as Kea's {@code relay.ip-addresses})
 * @param interfaceName the Linux interface whose clients this subnet serves, or empty for
 *        "whichever interface has an address in the prefix"
 * @param timers lease timers for this subnet
 * @param rapidCommit whether a DISCOVER with option 80 is answered straight with ACK (RFC 4039)
 * @param serverId the server identifier (option 54, RFC 2132 §9.7) this subnet's replies carry,
 *        when the operator fixes it; empty: our address inside the subnet on the arrival
 *        interface, else the address the request reached us at
 * @param sharedNetwork the name of the link this subnet shares with others (Kea's
 *        {@code shared-networks}, ISC's {@code shared-network}), or empty when it is alone on its link
 * @param limits this subnet's own {@code limits} block, replacing the top level's; empty: the top level's
 * @param ddns how clients of this subnet are named in DNS (its {@code ddns-*} keys over the top level's)
 */
public record SubnetConfig(int id, Prefix prefix, List<PoolConfig> pools, List<AddressRange> exclusions,
                           List<OptionSetting> options, List<Reservation> reservations,
                           List<Ipv4Address> relayAddresses, String interfaceName,
                           LeaseTimers timers, boolean rapidCommit, Optional<Ipv4Address> serverId,
                           String sharedNetwork, Optional<LimitsConfig> limits, DdnsSettings ddns) {
    public SubnetConfig {
        java.util.Objects.requireNonNull(ddns, "ddns");
        pools = List.copyOf(pools);
        exclusions = List.copyOf(exclusions);
        options = List.copyOf(options);
        reservations = List.copyOf(reservations);
        relayAddresses = List.copyOf(relayAddresses);
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(sharedNetwork, "sharedNetwork");
        Objects.requireNonNull(limits, "limits");
    }

    /** A subnet alone on its link, with no fixed server identifier. */
    public SubnetConfig(int id, Prefix prefix, List<PoolConfig> pools, List<AddressRange> exclusions,
                        List<OptionSetting> options, List<Reservation> reservations,
                        List<Ipv4Address> relayAddresses, String interfaceName, LeaseTimers timers, boolean rapidCommit) {
        this(id, prefix, pools, exclusions, options, reservations, relayAddresses, interfaceName, timers, rapidCommit,
                Optional.empty(), "", Optional.empty(), DdnsSettings.DEFAULTS);
    }

    /** Whether this subnet and {@code other} are on one link: the same subnet, or members of one shared network. */
    public boolean sharesLinkWith(SubnetConfig other) {
        return other.id == id || (!sharedNetwork.isEmpty() && sharedNetwork.equals(other.sharedNetwork));
    }
}
