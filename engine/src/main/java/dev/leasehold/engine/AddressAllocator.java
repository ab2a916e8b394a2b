package dev.leasehold.engine;

import dev.leasehold.config.Reservation;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which address a client gets, RFC 2131 §4.3.1: its open offer or reservation, its current
 * lease, its most recent earlier lease (affinity), the address it asks for, then any free
 * address of a pool it may use — over every subnet of the client's link (a shared network).
 *
 * <p>The pools' free sets are a cache of the store: an address the cache calls free may be held
 * by a lease another server wrote (a shared store) that the change feed has not brought yet.
 * Every candidate is checked against the store; one found held is marked used, which corrects
 * the cache, and the next is tried. Pool exhaustion is reported only when the free sets are
 * really empty; a run of {@value #STALE_CANDIDATE_BUDGET} stale candidates in one request
 * instead asks for a full re-index ({@link EngineCore#refreshWanted}) and drops the request as
 * {@link DropReason#FREE_SET_STALE}, so a client is never told "full" by an out-of-date cache.
 *
 * <p>Runs under the engine lock (its callers hold it).
 */
final class AddressAllocator {

    /** Stale free-set entries one request may correct before the whole cache is re-indexed instead. */
    static final int STALE_CANDIDATE_BUDGET = 64;

    private final EngineCore core;

    AddressAllocator(EngineCore core) {
        this.core = core;
    }

    /**
     * An address chosen for a client: the subnet it is in, whether choosing it took it from the
     * free set, the client's reservation in that subnet (or null), and whether the client is
     * known (its offer, reservation or lease record gave the address; {@code limits} do not
     * apply) rather than new (the address it asked for, or a free one).
     */
    record Choice(SubnetRuntime subnet, Ipv4Address address, boolean tookSlot, Reservation reservation, boolean known) {}

    /** The outcome of a choice: an address, or why there is none. */
    sealed interface Outcome {
        record Chosen(Choice choice) implements Outcome {}

        record NoAddress(DropReason reason) implements Outcome {}
    }

    /**
     * Chooses and marks used the address to offer {@code clientId} on {@code link} (the selected
     * subnet first, then the other members of its shared network). What the client already has
     * anywhere on the link (offer, reservation, lease, the address it asks for) comes before a
     * free address of any member. Caller holds the lock.
     */
    Outcome choose(List<SubnetRuntime> link, ClientId clientId, HardwareAddress hardware, List<String> classNames,
                   DhcpMessage request, Instant now) {
        for (SubnetRuntime subnet : link) {
            Choice known = chooseKnown(subnet, clientId, subnet.reservationFor(clientId, hardware), classNames, request, now);
            if (known != null) {
                return new Outcome.Chosen(known);
            }
        }
        int stale = 0;
        for (SubnetRuntime subnet : link) {
            for (AddressPool pool : subnet.pools()) {
                if (!pool.admits(classNames)) {
                    continue;
                }
                while (true) {
                    Ipv4Address candidate = pool.allocate(core.state.config.allocation(), core.random);
                    if (candidate == null) {
                        break;
                    }
                    if (!heldByAnother(candidate, clientId, now)) {
                        return new Outcome.Chosen(new Choice(subnet, candidate, true,
                                subnet.reservationFor(clientId, hardware), false));
                    }
                    // Held by a lease the cache had not seen: it stays marked used, which is right.
                    if (++stale >= STALE_CANDIDATE_BUDGET) {
                        core.refreshWanted = true;
                        return new Outcome.NoAddress(DropReason.FREE_SET_STALE);
                    }
                }
            }
        }
        return new Outcome.NoAddress(DropReason.POOL_EXHAUSTED);
    }

    /**
     * In {@code subnet}, what the client already has, in the order of RFC 2131 §4.3.1: its open
     * offer, its reservation, its live lease, its most recent earlier lease (affinity), the
     * address it asks for if free; or null.
     */
    private Choice chooseKnown(SubnetRuntime subnet, ClientId clientId, Reservation reservation,
                               List<String> classNames, DhcpMessage request, Instant now) {
        EngineState state = core.state;
        OfferBook.Offer offer = state.offers.find(clientId, now);
        if (offer != null && heldByAnother(offer.address(), clientId, now)) {
            // Stale: someone else holds the address now. Forget the offer, leave the address used.
            state.offers.remove(clientId);
            offer = null;
        }
        if (offer != null && offer.subnetId() == subnet.id()) {
            return new Choice(subnet, offer.address(), false, reservation, true);
        }
        if (reservation != null && !heldByAnother(reservation.address(), clientId, now)) {
            return new Choice(subnet, reservation.address(), false, reservation, true);
        }
        List<Lease> own = new ArrayList<>();
        for (Lease lease : core.store.findByClient(clientId)) {
            if (lease.subnetId() == subnet.id() && lease.state() != LeaseState.DECLINED
                    && subnet.config().prefix().contains(lease.address()) && usableBy(subnet, lease.address(), classNames)) {
                own.add(lease);
            }
        }
        // Its live lease first, then the one it held most recently.
        own.sort(Comparator.comparing((Lease l) -> l.state() != LeaseState.ACTIVE)
                .thenComparing(Lease::expiresAt, Comparator.reverseOrder()));
        for (Lease lease : own) {
            if (lease.state() == LeaseState.ACTIVE) {
                return new Choice(subnet, lease.address(), false, reservation, true); // already marked used
            }
            if (takeIfFree(subnet, lease.address(), clientId, now)) {
                return new Choice(subnet, lease.address(), true, reservation, true);
            }
        }
        Optional<Ipv4Address> requested = request.requestedAddress();
        if (requested.isPresent() && usableBy(subnet, requested.get(), classNames)
                && takeIfFree(subnet, requested.get(), clientId, now)) {
            return new Choice(subnet, requested.get(), true, reservation, false);
        }
        return null;
    }

    /** Whether {@code address} is in a pool {@code classNames} may use, and neither excluded nor reserved. */
    boolean usableBy(SubnetRuntime subnet, Ipv4Address address, List<String> classNames) {
        return subnet.poolOf(address).map(p -> p.admits(classNames)).orElse(false) && !subnet.isExcluded(address)
                && subnet.reservationAt(address) == null;
    }

    /** Takes {@code address} from its pool if the cache and the store both say it is free for this client. */
    boolean takeIfFree(SubnetRuntime subnet, Ipv4Address address, ClientId clientId, Instant now) {
        AddressPool pool = subnet.poolOf(address).orElse(null);
        if (pool == null || !pool.isFree(address)) {
            return false;
        }
        if (heldByAnother(address, clientId, now)) {
            pool.take(address); // the cache was stale: correct it
            return false;
        }
        return pool.take(address);
    }

    /** Whether the store has {@code address} held, at {@code now}, by a client other than {@code clientId}. */
    boolean heldByAnother(Ipv4Address address, ClientId clientId, Instant now) {
        Optional<Lease> stored = core.store.get(address);
        return stored.isPresent() && stored.get().holdsAddressAt(now) && !stored.get().clientId().equals(clientId);
    }

}
