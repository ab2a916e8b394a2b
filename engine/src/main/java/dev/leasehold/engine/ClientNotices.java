package dev.leasehold.engine;

import dev.leasehold.config.Reservation;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client tells the server outside the DISCOVER/REQUEST exchange: DHCPDECLINE (RFC 2131
 * §4.3.3: the address is in use, hold it out for the probation), DHCPRELEASE (§4.3.4: free it
 * now, keep the record for affinity) and DHCPINFORM (§4.3.5: options only, no lease).
 */
final class ClientNotices {

    private static final Logger log = LoggerFactory.getLogger(ClientNotices.class);

    private final EngineCore core;

    ClientNotices(EngineCore core) {
        this.core = core;
    }

    /**
     * RFC 2131 §4.3.3: "the server MUST mark the network address as not available". Honoured from
     * the client that holds the address (its ACTIVE lease becomes DECLINED) and from a client that
     * was only offered it (it probed the offered address and found it in use, before any commit):
     * then a DECLINED record is written for it, so the address stays out for the probation across
     * a restart too. A DECLINE from anyone else changes nothing, so a host cannot burn addresses
     * it was never given.
     */
    CompletableFuture<Decision> decline(DhcpMessage request) {
        Instant now = core.now();
        ClientId clientId = ClientId.of(request);
        Optional<Ipv4Address> address = request.requestedAddress();
        if (address.isEmpty()) {
            return Decisions.drop(DropReason.NO_REPLY_EXPECTED, "DECLINE without a requested address");
        }
        core.lock();
        try {
            Optional<Lease> stored = core.store.get(address.get());
            boolean holds = stored.isPresent() && stored.get().clientId().equals(clientId)
                    && stored.get().state() == LeaseState.ACTIVE;
            OfferBook.Offer offer = core.state.offers.find(clientId, now);
            boolean offered = offer != null && offer.address().equals(address.get())
                    && !(stored.isPresent() && stored.get().holdsAddressAt(now) && !stored.get().clientId().equals(clientId));
            if (!holds && !offered) {
                return Decisions.drop(DropReason.NO_REPLY_EXPECTED,
                        "DECLINE of " + address.get() + " by a client that does not hold it");
            }
            SubnetRuntime subnet = core.state.subnetsById.get(holds ? stored.get().subnetId() : offer.subnetId());
            Optional<AbuseGuard.Verdict> capped = core.guard.mayDecline(clientId, subnet == null
                    ? core.state.config.limits() : core.state.config.limitsFor(subnet.config()));
            if (capped.isPresent()) {
                return Decisions.drop(capped.get().reason(), capped.get().detail());
            }
            Instant until = now.plus(core.state.config.declineProbation());
            Lease declined = holds
                    ? stored.get().withState(LeaseState.DECLINED, now, until)
                    : new Lease(address.get(), clientId, request.hardwareAddress(), offer.subnetId(), LeaseState.DECLINED,
                            now, until, "");
            if (offered) {
                // The offer is spent; its address stays out of the pool, now under probation.
                core.state.offers.remove(clientId);
            }
            core.counters.declined();
            core.emit(LeaseEvent.Type.DECLINE, request, address.get(), declined.subnetId(), now, until,
                    holds ? "" : "offered, not yet committed");
            core.state.probations.add(new EngineState.Probation(until, address.get(), true));
            log.info("address {} declined by {}: held out until {}", address.get(), clientId, until);
            return core.write(declined, now)
                    .thenApply(r -> new Decision.Drop(DropReason.NO_REPLY_EXPECTED, "DECLINE of " + address.get()));
        } finally {
            core.unlock();
        }
    }

    CompletableFuture<Decision> release(DhcpMessage request) {
        Instant now = core.now();
        ClientId clientId = ClientId.of(request);
        Ipv4Address address = request.ciaddr();
        core.lock();
        try {
            Optional<Lease> stored = core.store.get(address);
            if (stored.isEmpty() || !stored.get().clientId().equals(clientId) || stored.get().state() != LeaseState.ACTIVE) {
                return Decisions.drop(DropReason.NO_REPLY_EXPECTED,
                        "RELEASE of " + address + " by a client that does not hold it");
            }
            Lease released = stored.get().withState(LeaseState.RELEASED, stored.get().start(),
                    RequestDecisions.latest(now, stored.get().start()));
            CompletableFuture<PutResult> write = core.write(released, now);
            // An offer it had open is void too: its address must not come back to it later
            // once someone else holds it.
            OfferBook.Offer open = core.state.offers.remove(clientId);
            if (open != null && !open.address().equals(address)) {
                core.returnToPool(open.subnetId(), open.address());
            }
            core.emit(LeaseEvent.Type.RELEASE, request, address, released.subnetId(), now, now, "");
            // Free at once, not after the write: the stored record now names this client, so
            // nobody else is offered the address before it is durable (heldByAnother), and the
            // client itself may come straight back for it.
            core.returnToPool(released.subnetId(), address);
            return write.thenApply(r -> new Decision.Drop(DropReason.NO_REPLY_EXPECTED, "RELEASE of " + address));
        } finally {
            core.unlock();
        }
    }

    CompletableFuture<Decision> inform(RequestContext ctx, DhcpMessage request) {
        core.lock();
        try {
            EngineState state = core.state;
            SubnetRuntime subnet = request.ciaddr().isAny() ? null : state.subnetContaining(request.ciaddr());
            if (subnet == null) {
                subnet = state.select(ctx, request);
            }
            if (subnet == null) {
                return Decisions.drop(DropReason.NO_SUBNET, "INFORM from " + request.ciaddr() + " on no configured subnet");
            }
            ClientId clientId = ClientId.of(request);
            Reservation reservation = subnet.reservationFor(clientId, request.hardwareAddress());
            return Decisions.respond(ReplyFactory.offerOrAck(MessageType.ACK, request, subnet.serverIdFor(ctx, request), subnet,
                    state.classifier.classify(request), reservation,
                    new ReplyFactory.Grant(request.ciaddr(), null, subnet.config().timers()), false));
        } finally {
            core.unlock();
        }
    }
}
