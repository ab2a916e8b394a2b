package dev.leasehold.engine;

import dev.leasehold.config.ClientClassConfig;
import dev.leasehold.config.LeaseTimers;
import dev.leasehold.config.Reservation;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCPREQUEST, RFC 2131 §4.3.2, in its four shapes: SELECTING (option 54 names us, or another
 * server, whose choice withdraws our offer), INIT-REBOOT (no ciaddr, option 50), RENEWING and
 * REBINDING (ciaddr); each ends in a NAK, silence, or a commit: the lease written, and DHCPACK
 * once the write is durable (DESIGN §3).
 *
 * <p>Threads: the decision runs on the caller's thread under the engine lock and issues the
 * write there; the commit continuation (the ACK built, the offer retired) runs on the thread
 * that completes the store's future, under the lock again.
 */
final class RequestDecisions {

    private static final Logger log = LoggerFactory.getLogger(RequestDecisions.class);

    private final EngineCore core;
    private final AddressAllocator allocator;

    RequestDecisions(EngineCore core, AddressAllocator allocator) {
        this.core = core;
        this.allocator = allocator;
    }

    CompletableFuture<Decision> request(RequestContext ctx, DhcpMessage request) {
        Instant now = core.now();
        ClientId clientId = ClientId.of(request);
        Optional<Ipv4Address> serverId = request.serverIdentifier();
        core.lock();
        try {
            core.purgeLapsedOffers(now);
            if (serverId.isPresent()) {
                if (!core.state.isOurServerId(serverId.get(), ctx)) {
                    // SELECTING another server's offer: ours is withdrawn.
                    OfferBook.Offer ours = core.state.offers.remove(clientId);
                    if (ours != null) {
                        core.returnToPool(ours.subnetId(), ours.address());
                    }
                    return Decisions.drop(DropReason.NOT_FOR_US, "client " + clientId + " chose server " + serverId.get());
                }
                return selecting(ctx, request, clientId, now);
            }
            if (request.ciaddr().isAny()) {
                return initReboot(ctx, request, clientId, now);
            }
            return renewing(ctx, request, clientId, now);
        } finally {
            core.unlock();
        }
    }

    private CompletableFuture<Decision> selecting(RequestContext ctx, DhcpMessage request, ClientId clientId, Instant now) {
        Optional<Ipv4Address> requested = request.requestedAddress();
        if (requested.isEmpty()) {
            return nak(ctx, null, request, "REQUEST in SELECTING state without a requested address");
        }
        SubnetRuntime selected = core.state.select(ctx, request);
        SubnetRuntime subnet = selected == null ? null : core.state.onLinkContaining(selected, requested.get());
        if (subnet == null) {
            return nak(ctx, selected, request, "requested address " + requested.get() + " is not on this network");
        }
        return commitIfTheClients(ctx, request, subnet, clientId, requested.get(), now, true);
    }

    private CompletableFuture<Decision> initReboot(RequestContext ctx, DhcpMessage request, ClientId clientId, Instant now) {
        Optional<Ipv4Address> requested = request.requestedAddress();
        if (requested.isEmpty()) {
            return Decisions.drop(DropReason.NOT_A_REQUEST, "REQUEST without server id, ciaddr or requested address");
        }
        EngineState state = core.state;
        SubnetRuntime selected = state.select(ctx, request);
        if (selected == null) {
            return state.config.authoritative()
                    ? nak(ctx, null, request, "no subnet for this network")
                    : Decisions.drop(DropReason.NO_SUBNET, "INIT-REBOOT from an unknown network");
        }
        SubnetRuntime subnet = state.onLinkContaining(selected, requested.get());
        if (subnet == null) {
            return nak(ctx, selected, request, "address " + requested.get() + " is wrong for this network");
        }
        Optional<Lease> stored = core.store.get(requested.get());
        boolean known = stored.isPresent() && stored.get().clientId().equals(clientId)
                || isReservedFor(subnet, requested.get(), clientId, request.hardwareAddress());
        if (!known && !(stored.isPresent() && stored.get().holdsAddressAt(now)) && !state.config.authoritative()) {
            // RFC 2131 §4.3.2: a server with no record of the client MUST remain silent.
            return Decisions.drop(DropReason.NOT_FOR_US, "INIT-REBOOT for " + requested.get() + ", no record of " + clientId);
        }
        return commitIfTheClients(ctx, request, subnet, clientId, requested.get(), now, false);
    }

    private CompletableFuture<Decision> renewing(RequestContext ctx, DhcpMessage request, ClientId clientId, Instant now) {
        Ipv4Address address = request.ciaddr();
        SubnetRuntime subnet = core.state.subnetContaining(address);
        SubnetRuntime selected = core.state.select(ctx, request);
        if (subnet == null || (selected != null && !selected.config().sharesLinkWith(subnet.config()))) {
            return nak(ctx, selected, request, "address " + address + " is wrong for this network");
        }
        return commitIfTheClients(ctx, request, subnet, clientId, address, now, true);
    }

    /**
     * Acknowledges {@code address} when the client may have it: its own record, its reservation,
     * its offer, or a free pool address it may use (a client whose lease record was lost gets it
     * back). Otherwise NAK. Caller holds the lock.
     */
    private CompletableFuture<Decision> commitIfTheClients(RequestContext ctx, DhcpMessage request, SubnetRuntime subnet,
                                                           ClientId clientId, Ipv4Address address, Instant now,
                                                           boolean mayTakeFree) {
        HardwareAddress hardware = request.hardwareAddress();
        List<ClientClassConfig> classes = core.state.classifier.classify(request);
        Reservation reservation = subnet.reservationFor(clientId, hardware);
        Optional<Lease> stored = core.store.get(address);
        if (stored.isPresent() && !stored.get().clientId().equals(clientId) && stored.get().holdsAddressAt(now)) {
            return nak(ctx, subnet, request, "address " + address + " is leased to another client");
        }
        if (stored.isPresent() && stored.get().clientId().equals(clientId) && stored.get().state() == LeaseState.DECLINED) {
            return nak(ctx, subnet, request, "address " + address + " was declined");
        }
        Reservation atAddress = subnet.reservationAt(address);
        if (atAddress != null && atAddress != reservation) {
            return nak(ctx, subnet, request, "address " + address + " is reserved for another client");
        }
        if (reservation != null && !reservation.address().equals(address)) {
            return nak(ctx, subnet, request, "client has reservation " + reservation.address());
        }
        OfferBook.Offer offer = core.state.offers.find(clientId, now);
        boolean offered = offer != null && offer.address().equals(address);
        boolean ownRecord = stored.isPresent() && stored.get().clientId().equals(clientId);
        boolean tookSlot = false;
        if (reservation == null && !offered) {
            if (!allocator.usableBy(subnet, address, ClassNames.of(classes))) {
                return nak(ctx, subnet, request, "address " + address + " is outside the pools this client may use");
            }
            AddressPool pool = subnet.poolOf(address).orElseThrow();
            if (pool.isFree(address)) {
                if (!ownRecord && !mayTakeFree) {
                    return nak(ctx, subnet, request, "no lease for " + address);
                }
                if (!ownRecord) {
                    // A client we do not know takes a free address without an offer: the limits apply.
                    Optional<AbuseGuard.Verdict> refused = core.guard.mayGrantNew(request, ctx, subnet,
                            core.state.config.limitsFor(subnet.config()), core.state.offers, false);
                    if (refused.isPresent()) {
                        return Decisions.drop(refused.get().reason(), refused.get().detail());
                    }
                }
                tookSlot = pool.take(address);
            } else if (!(ownRecord && stored.get().state() == LeaseState.ACTIVE)) {
                return nak(ctx, subnet, request, "address " + address + " is not available");
            }
        }
        return commit(ctx, request, subnet, classes, reservation, address, tookSlot, false, now);
    }

    private static boolean isReservedFor(SubnetRuntime subnet, Ipv4Address address, ClientId clientId,
                                         HardwareAddress hardware) {
        Reservation r = subnet.reservationFor(clientId, hardware);
        return r != null && r.address().equals(address);
    }

    /**
     * Writes the lease and answers ACK once it is durable; NAK if another server's lease won the
     * address first; silence if the store cannot write (a NAK would only send the client round
     * again), except that a renewal of a lease still stored is acknowledged for its remaining
     * time. Caller holds the lock; the write is issued under it and awaited outside.
     */
    CompletableFuture<Decision> commit(RequestContext ctx, DhcpMessage request, SubnetRuntime subnet,
                                       List<ClientClassConfig> classes, Reservation reservation,
                                       Ipv4Address address, boolean tookSlot, boolean rapidCommit, Instant now) {
        ClientId clientId = ClientId.of(request);
        LeaseTimers timers = subnet.config().timers();
        Duration leaseTime = timers.grant(requestedLeaseTime(request));
        String hostname = reservation != null && !reservation.hostname().isEmpty()
                ? reservation.hostname() : request.hostName().orElse("");
        Lease lease = new Lease(address, clientId, request.hardwareAddress(), subnet.id(), LeaseState.ACTIVE,
                now, now.plus(leaseTime), HostNames.sanitize(hostname));
        Optional<Lease> before = core.store.get(address);
        EngineState issuedIn = core.state;
        return core.write(lease, now).thenApply(result -> {
            core.lock();
            try {
                return switch (result) {
                    case PutResult.Stored stored -> {
                        core.guard.bound(address, request, core.state.config.limitsFor(subnet.config()));
                        if (issuedIn == core.state) {
                            OfferBook.Offer offer = core.state.offers.remove(clientId);
                            if (offer != null && !offer.address().equals(address)) {
                                core.returnToPool(offer.subnetId(), offer.address());
                            }
                            releaseOtherLeases(clientId, subnet.id(), address, now);
                        }
                        core.emit(LeaseEvent.Type.ACK, request, address, subnet.id(), now, lease.expiresAt(), "");
                        yield new Decision.Respond(ReplyFactory.offerOrAck(MessageType.ACK, request, subnet.serverIdFor(ctx, request),
                                subnet, classes, reservation, new ReplyFactory.Grant(address, leaseTime, timers),
                                rapidCommit));
                    }
                    case PutResult.Conflict conflict -> {
                        if (issuedIn == core.state) {
                            // The cache called the address ours to give: it is not. Keep it used.
                            subnet.poolOf(address).ifPresent(p -> p.take(address));
                        }
                        yield nakNow(ctx, subnet, request, "address " + address + " was taken by " + conflict.holder().clientId());
                    }
                    case PutResult.Failed failed -> {
                        log.warn("lease store refused {} for {}: {}", address, clientId, failed.reason());
                        if (tookSlot && issuedIn == core.state) {
                            subnet.returnToPool(address);
                        }
                        if (before.isPresent() && before.get().clientId().equals(clientId) && before.get().isActiveAt(now)) {
                            Duration left = Duration.between(now, before.get().expiresAt());
                            core.emit(LeaseEvent.Type.ACK, request, address, subnet.id(), now, before.get().expiresAt(),
                                    "store unavailable: acknowledged for the time left");
                            yield new Decision.Respond(ReplyFactory.offerOrAck(MessageType.ACK, request,
                                    subnet.serverIdFor(ctx, request), subnet, classes, reservation,
                                    new ReplyFactory.Grant(address, left, timers), rapidCommit));
                        }
                        yield new Decision.Drop(DropReason.STORE_UNAVAILABLE, failed.reason());
                    }
                };
            } finally {
                core.unlock();
            }
        });
    }

    /**
     * A client holds one lease per subnet (RFC 2131 §4.2 keys a binding on client and network):
     * once it is acknowledged for a new address, its other active leases there end and their
     * addresses go back to the pool. Caller holds the lock.
     */
    private void releaseOtherLeases(ClientId clientId, int subnetId, Ipv4Address kept, Instant now) {
        for (Lease other : core.store.findByClient(clientId)) {
            if (other.subnetId() == subnetId && !other.address().equals(kept) && other.state() == LeaseState.ACTIVE) {
                core.write(other.withState(LeaseState.RELEASED, other.start(), latest(now, other.start())), now);
                core.returnToPool(subnetId, other.address());
            }
        }
    }

    private CompletableFuture<Decision> nak(RequestContext ctx, SubnetRuntime subnet, DhcpMessage request, String why) {
        return CompletableFuture.completedFuture(nakNow(ctx, subnet, request, why));
    }

    /**
     * A DHCPNAK (RFC 2131 §4.3.2), logged and told as an event; its option 54 is the one the
     * subnet's replies carry, or the address the request reached us at when no subnet is known.
     * Caller holds the lock.
     */
    private Decision nakNow(RequestContext ctx, SubnetRuntime subnet, DhcpMessage request, String why) {
        log.debug("NAK to {}: {}", request.hardwareAddress(), why);
        Ipv4Address asked = request.ciaddr().isAny() ? request.requestedAddress().orElse(Ipv4Address.ANY) : request.ciaddr();
        Instant now = core.now();
        core.emit(LeaseEvent.Type.NAK, request, asked, -1, now, now, why);
        Ipv4Address serverId = subnet == null ? ctx.serverAddress() : subnet.serverIdFor(ctx, request);
        return new Decision.Respond(ReplyFactory.nak(request, serverId, why));
    }

    /** The lease time the client asked for (option 51), or null. */
    static Duration requestedLeaseTime(DhcpMessage request) {
        var requested = request.requestedLeaseTime();
        return requested.isPresent() ? Duration.ofSeconds(requested.getAsLong()) : null;
    }

    static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
