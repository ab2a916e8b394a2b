package dev.leasehold.config;

import dev.leasehold.lease.DurabilityPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole validated configuration of one server: immutable, produced only by
 * {@link ConfigLoader}, which refuses a file that breaks any rule (DESIGN §4.5).
 *
 * @param listen where the UDP socket binds (relayed traffic and loopback tests)
 * @param interfaces the Linux interfaces served directly; empty for none, {@code ["*"]} for all
 * @param dataDirectory where the lease journal lives
 * @param durability when an ACK may leave relative to the lease reaching disk
 * @param groupWindow how long a group commit waits for more leases under load (0: never)
 * @param authoritative whether to NAK requests for addresses we know nothing of (RFC 2131 §4.3.2)
 * @param timers the lease time, its bounds, T1 and T2 unless a subnet overrides them
 * @param offerHold how long an offered address stays reserved for the client in memory
 * @param declineProbation how long a declined address is held out of the pool
 * @param reclaimInterval how often expired leases are returned to their pools
 * @param pingCheck how long to wait for an ICMP echo reply from an address before offering it;
 *        {@link Duration#ZERO} (the default) turns the check off
 * @param allocation how a free address is picked
 * @param options options sent to every client unless a class, subnet or reservation overrides them
 * @param clientClasses classes in evaluation order
 * @param subnets the served subnets, none overlapping
 * @param operations the control API, the event log format and the lease history retention
 * @param limits the defences against abuse that apply where a subnet sets none of its own
 * @param subnetSelection whether option 118 from a client or relay chooses the subnet (RFC 3011 §1);
 *        when it does, the reply carries an identical copy of it (§3). Kea honours it always.
 * @param ddns where dynamic DNS updates go ({@code dhcp-ddns}); {@link DdnsConfig#OFF} when absent
 * @param leaseStore where leases are kept: the journal in {@code dataDirectory} (the default) or
 *        a PostgreSQL database shared by several servers
 * @param relayReplyPacing whether replies to each relay are held to twice its own request rate
 *        after a burst ({@code relay-reply-pacing}, default off), so that a relay or load
 *        generator reading with a small receive buffer does not lose the tail of a burst
 */
public record ServerConfig(
        ListenAddress listen,
        List<String> interfaces,
        Path dataDirectory,
        DurabilityPolicy durability,
        Duration groupWindow,
        boolean authoritative,
        LeaseTimers timers,
        Duration offerHold,
        Duration declineProbation,
        Duration reclaimInterval,
        Duration pingCheck,
        AllocationStrategy allocation,
        List<OptionSetting> options,
        List<ClientClassConfig> clientClasses,
        List<SubnetConfig> subnets,
        OperationsConfig operations,
        LimitsConfig limits,
        boolean subnetSelection,
        DdnsConfig ddns,
        LeaseStoreConfig leaseStore,
        boolean relayReplyPacing) {

    public ServerConfig {
        java.util.Objects.requireNonNull(ddns, "ddns");
        java.util.Objects.requireNonNull(leaseStore, "leaseStore");
        java.util.Objects.requireNonNull(operations, "operations");
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(groupWindow, "groupWindow");
        interfaces = List.copyOf(interfaces);
        options = List.copyOf(options);
        clientClasses = List.copyOf(clientClasses);
        subnets = List.copyOf(subnets);
    }

    /** A configuration without relay reply pacing (the default). */
    public ServerConfig(ListenAddress listen, List<String> interfaces, Path dataDirectory, DurabilityPolicy durability,
                        Duration groupWindow, boolean authoritative, LeaseTimers timers, Duration offerHold,
                        Duration declineProbation, Duration reclaimInterval, Duration pingCheck,
                        AllocationStrategy allocation, List<OptionSetting> options,
                        List<ClientClassConfig> clientClasses, List<SubnetConfig> subnets, OperationsConfig operations,
                        LimitsConfig limits, boolean subnetSelection, DdnsConfig ddns, LeaseStoreConfig leaseStore) {
        this(listen, interfaces, dataDirectory, durability, groupWindow, authoritative, timers, offerHold,
                declineProbation, reclaimInterval, pingCheck, allocation, options, clientClasses, subnets, operations,
                limits, subnetSelection, ddns, leaseStore, false);
    }

    /** A configuration without dynamic DNS. */
    public ServerConfig(ListenAddress listen, List<String> interfaces, Path dataDirectory, DurabilityPolicy durability,
                        Duration groupWindow, boolean authoritative, LeaseTimers timers, Duration offerHold,
                        Duration declineProbation, Duration reclaimInterval, Duration pingCheck,
                        AllocationStrategy allocation, List<OptionSetting> options,
                        List<ClientClassConfig> clientClasses, List<SubnetConfig> subnets, OperationsConfig operations) {
        this(listen, interfaces, dataDirectory, durability, groupWindow, authoritative, timers, offerHold,
                declineProbation, reclaimInterval, pingCheck, allocation, options, clientClasses, subnets, operations,
                LimitsConfig.NONE, true, DdnsConfig.OFF, LeaseStoreConfig.JOURNAL);
    }

    /**
     * A configuration with {@link OperationsConfig#DEFAULTS} (no control API, text event log), the
     * default group window and the journal store.
     */
    public ServerConfig(ListenAddress listen, List<String> interfaces, Path dataDirectory, DurabilityPolicy durability,
                        boolean authoritative, LeaseTimers timers, Duration offerHold, Duration declineProbation,
                        Duration reclaimInterval, Duration pingCheck, AllocationStrategy allocation,
                        List<OptionSetting> options, List<ClientClassConfig> clientClasses, List<SubnetConfig> subnets) {
        this(listen, interfaces, dataDirectory, durability, ServerConfigReader.DEFAULT_GROUP_WINDOW, authoritative,
                timers, offerHold, declineProbation, reclaimInterval, pingCheck, allocation, options, clientClasses,
                subnets, OperationsConfig.DEFAULTS, LimitsConfig.NONE, true, DdnsConfig.OFF, LeaseStoreConfig.JOURNAL);
    }

    /** The limits in force for {@code subnet}: its own block, else the top level's. */
    public LimitsConfig limitsFor(SubnetConfig subnet) {
        return subnet.limits().orElse(limits);
    }
}
