package dev.leasehold.engine;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.RelayAgentInformation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Everything the engine derives from one configuration and the stored leases: subnets with
 * their free sets, the classifier, outstanding offers and declined addresses on probation.
 * Replaced whole on reload. Guarded by the engine's lock.
 */
final class EngineState {

    /**
     * An address held out of its pool until {@code endsAt}: declined by a client (a DECLINED
     * record in the store) or found answering a ping before we offered it (memory only).
     */
    record Probation(Instant endsAt, Ipv4Address address, boolean stored) {}

    final ServerConfig config;
    final List<SubnetRuntime> subnets;
    final Map<Integer, SubnetRuntime> subnetsById = new HashMap<>();
    final ClientClassifier classifier;
    final OfferBook offers = new OfferBook();
    /** Whether the top level or any subnet sets limits (read without the lock: replaced whole, never changed). */
    final boolean anyLimits;
    /** Each subnet's link: itself first, then the other members of its shared network in file order. */
    private final Map<Integer, List<SubnetRuntime>> links = new HashMap<>();
    /** Every configured server-id, so a SELECTING client naming one is recognised as choosing us. */
    private final java.util.Set<Ipv4Address> configuredServerIds = new java.util.HashSet<>();
    final PriorityQueue<Probation> probations = new PriorityQueue<>((a, b) -> a.endsAt().compareTo(b.endsAt()));

    private EngineState(ServerConfig config) {
        this.config = config;
        List<SubnetRuntime> built = new ArrayList<>();
        for (SubnetConfig s : config.subnets()) {
            SubnetRuntime runtime = new SubnetRuntime(s, config.options());
            built.add(runtime);
            subnetsById.put(s.id(), runtime);
        }
        this.subnets = List.copyOf(built);
        for (SubnetRuntime s : subnets) {
            List<SubnetRuntime> link = new ArrayList<>();
            link.add(s);
            for (SubnetRuntime other : subnets) {
                if (other != s && s.config().sharesLinkWith(other.config())) {
                    link.add(other);
                }
            }
            links.put(s.id(), List.copyOf(link));
            s.config().serverId().ifPresent(configuredServerIds::add);
        }
        this.classifier = new ClientClassifier(config.clientClasses());
        boolean limited = !config.limits().equals(dev.leasehold.config.LimitsConfig.NONE);
        for (SubnetConfig s : config.subnets()) {
            limited |= s.limits().isPresent();
        }
        this.anyLimits = limited;
    }

    /**
     * Builds the state for {@code config} and marks every address that a stored lease holds
     * (ACTIVE or DECLINED, expired or not: the reclaimer frees those) as used.
     */
    static EngineState build(ServerConfig config, LeaseStore store) {
        EngineState state = new EngineState(config);
        store.forEach(state::account);
        return state;
    }

    private void account(Lease lease) {
        if (lease.state() != LeaseState.ACTIVE && lease.state() != LeaseState.DECLINED) {
            return;
        }
        SubnetRuntime subnet = subnetContaining(lease.address());
        if (subnet == null) {
            return; // the subnet left the configuration; the lease stays stored for history
        }
        subnet.poolOf(lease.address()).ifPresent(p -> p.take(lease.address()));
        if (lease.state() == LeaseState.DECLINED) {
            probations.add(new Probation(lease.expiresAt(), lease.address(), true));
        }
    }

    /**
     * Brings one address in line with what the store now says of it, for a write that happened
     * after this state was indexed: held (ACTIVE or DECLINED) means used, anything else free.
     */
    void resync(Ipv4Address address, java.util.Optional<Lease> stored) {
        SubnetRuntime subnet = subnetContaining(address);
        if (subnet == null) {
            return;
        }
        boolean held = stored.isPresent()
                && (stored.get().state() == LeaseState.ACTIVE || stored.get().state() == LeaseState.DECLINED);
        if (held) {
            subnet.poolOf(address).ifPresent(p -> p.take(address));
            if (stored.get().state() == LeaseState.DECLINED) {
                probations.add(new Probation(stored.get().expiresAt(), address, true));
            }
        } else {
            subnet.returnToPool(address);
        }
    }

    /**
     * The subnets on {@code subnet}'s link, itself first: with a shared network (Kea's
     * {@code shared-networks}, ISC's {@code shared-network}) a client there may be served from
     * any of them.
     */
    List<SubnetRuntime> linkOf(SubnetRuntime subnet) {
        return links.get(subnet.id());
    }

    /** The subnet on {@code subnet}'s link whose prefix holds {@code address}, or null. */
    SubnetRuntime onLinkContaining(SubnetRuntime subnet, Ipv4Address address) {
        for (SubnetRuntime member : linkOf(subnet)) {
            if (member.config().prefix().contains(address)) {
                return member;
            }
        }
        return null;
    }

    /**
     * Whether {@code serverId} (option 54 of a SELECTING REQUEST, RFC 2131 §4.3.2) names this
     * server: the address the request reached us at, any of ours on the arrival interface (the
     * one inside the subnet is what we offered with), or a configured {@code server-id}.
     */
    boolean isOurServerId(Ipv4Address serverId, RequestContext ctx) {
        if (serverId.equals(ctx.serverAddress()) || configuredServerIds.contains(serverId)) {
            return true;
        }
        for (InterfaceAddress ours : ctx.interfaceNetworks()) {
            if (ours.address().equals(serverId)) {
                return true;
            }
        }
        return false;
    }

    SubnetRuntime subnetContaining(Ipv4Address address) {
        for (SubnetRuntime s : subnets) {
            if (s.config().prefix().contains(address)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The subnet a request belongs to (RFC 2131 §4.3.1). In order: the subnet-selection option
     * (RFC 3011 §1: it "takes precedence over the methods that the DHCP server uses to determine
     * the subnet", giaddr included); the relay's link-selection sub-option (RFC 3527 §2, used
     * instead of giaddr); giaddr or a configured relay address; the arrival interface; and, for a
     * unicast renewal with no interface known, ciaddr's subnet. With {@code subnet-selection: false}
     * option 118 is ignored, as RFC 3011 §3 leaves to configuration.
     */
    SubnetRuntime select(RequestContext ctx, DhcpMessage request) {
        var selection = request.subnetSelection();
        if (selection.isPresent() && config.subnetSelection()) {
            return subnetContaining(selection.get());
        }
        if (!request.giaddr().isAny()) {
            var link = request.relaySubOptionAddress(RelayAgentInformation.LINK_SELECTION);
            if (link.isPresent()) {
                return subnetContaining(link.get());
            }
            SubnetRuntime byGiaddr = subnetContaining(request.giaddr());
            if (byGiaddr != null) {
                return byGiaddr;
            }
            for (SubnetRuntime s : subnets) {
                if (s.config().relayAddresses().contains(request.giaddr())) {
                    return s;
                }
            }
            return null;
        }
        if (!ctx.interfaceName().isEmpty()) {
            for (SubnetRuntime s : subnets) {
                if (s.config().interfaceName().equals(ctx.interfaceName())) {
                    return s;
                }
            }
            for (InterfaceAddress n : ctx.interfaceNetworks()) {
                SubnetRuntime s = subnetContaining(n.address());
                if (s != null) {
                    return s;
                }
            }
            return null;
        }
        return request.ciaddr().isAny() ? null : subnetContaining(request.ciaddr());
    }
}
