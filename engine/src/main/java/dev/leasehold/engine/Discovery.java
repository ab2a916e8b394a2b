package dev.leasehold.engine;

import dev.leasehold.config.ClientClassConfig;
import dev.leasehold.config.LeaseTimers;
import dev.leasehold.config.Reservation;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCPDISCOVER, RFC 2131 §4.3.1: choose an address, hold it for the client as an offer in memory
 * (DESIGN §3: an offer is not a commit), and answer DHCPOFFER; or, with rapid commit (RFC 4039),
 * commit at once. Also the withdrawal of an offer whose address answered a ping.
 */
final class Discovery {

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private final EngineCore core;
    private final AddressAllocator allocator;
    private final RequestDecisions requests;

    Discovery(EngineCore core, AddressAllocator allocator, RequestDecisions requests) {
        this.core = core;
        this.allocator = allocator;
        this.requests = requests;
    }

    CompletableFuture<Decision> discover(RequestContext ctx, DhcpMessage request) {
        Instant now = core.now();
        ClientId clientId = ClientId.of(request);
        HardwareAddress hardware = request.hardwareAddress();
        core.lock();
        try {
            EngineState state = core.state;
            core.purgeLapsedOffers(now);
            SubnetRuntime selected = state.select(ctx, request);
            if (selected == null) {
                return Decisions.drop(DropReason.NO_SUBNET,
                        "no subnet for giaddr " + request.giaddr() + " on '" + ctx.interfaceName() + "'");
            }
            List<ClientClassConfig> classes = state.classifier.classify(request);
            AddressAllocator.Outcome outcome = allocator.choose(state.linkOf(selected), clientId, hardware,
                    ClassNames.of(classes), request, now);
            if (outcome instanceof AddressAllocator.Outcome.NoAddress(DropReason reason)) {
                if (reason == DropReason.POOL_EXHAUSTED) {
                    core.counters.allocationFailed(selected.id());
                }
                return Decisions.drop(reason, "subnet " + selected.id() + " has no free address for " + clientId);
            }
            AddressAllocator.Choice choice = ((AddressAllocator.Outcome.Chosen) outcome).choice();
            SubnetRuntime subnet = choice.subnet();
            if (!choice.known()) {
                Optional<AbuseGuard.Verdict> refused = core.guard.mayGrantNew(request, ctx, subnet,
                        state.config.limitsFor(subnet.config()), state.offers, true);
                if (refused.isPresent()) {
                    if (choice.tookSlot()) {
                        subnet.returnToPool(choice.address());
                    }
                    return Decisions.drop(refused.get().reason(), refused.get().detail());
                }
            }
            Reservation reservation = choice.reservation();
            LeaseTimers timers = subnet.config().timers();
            Duration leaseTime = timers.grant(RequestDecisions.requestedLeaseTime(request));
            if (subnet.config().rapidCommit() && request.options().contains(OptionCode.RAPID_COMMIT)) {
                // RFC 4039 §4: commit now and answer with an ACK carrying option 80.
                return requests.commit(ctx, request, subnet, classes, reservation, choice.address(), choice.tookSlot(),
                        true, now);
            }
            Ipv4Address address = choice.address();
            OfferBook.Offer previous = state.offers.find(clientId, now);
            if (previous == null || !previous.address().equals(address)) {
                // A repeated DISCOVER keeps its offer (and its hold) as it is; a new one replaces it.
                if (previous != null) {
                    state.offers.remove(clientId);
                    core.returnToPool(previous.subnetId(), previous.address());
                }
                // The client's own lease already holds the address: an offer of it would hand it
                // back to the pool when withdrawn or lapsed, while the lease still runs.
                if (choice.tookSlot() || reservation != null && reservation.address().equals(address)) {
                    state.offers.put(new OfferBook.Offer(clientId, address, subnet.id(), now.plus(state.config.offerHold()),
                            !choice.known(), choice.known() ? List.of()
                                    : AbuseGuard.limitKeys(request, state.config.limitsFor(subnet.config()))));
                }
            }
            core.emit(LeaseEvent.Type.OFFER, request, address, subnet.id(), now, now.plus(leaseTime), "");
            return Decisions.respond(ReplyFactory.offerOrAck(MessageType.OFFER, request, subnet.serverIdFor(ctx, request), subnet,
                    classes, reservation, new ReplyFactory.Grant(address, leaseTime, timers), false));
        } finally {
            core.unlock();
        }
    }

    /**
     * Withdraws the offer of {@code address} to {@code offeredTo} because something answered a
     * ping to it: another host uses it without a lease from us. The address is held out for the
     * decline probation, in memory only (a restart pings it again), and counted as a conflict.
     * The caller then runs the client's DISCOVER again for another address.
     */
    void holdOut(Ipv4Address address, ClientId offeredTo) {
        Instant now = core.now();
        core.lock();
        try {
            EngineState state = core.state;
            SubnetRuntime subnet = state.subnetContaining(address);
            if (subnet == null) {
                return;
            }
            OfferBook.Offer offer = state.offers.find(offeredTo, now);
            if (offer != null && offer.address().equals(address)) {
                state.offers.remove(offeredTo); // its address stays taken: the probation holds it now
            } else {
                subnet.poolOf(address).ifPresent(p -> p.take(address));
            }
            Instant until = now.plus(state.config.declineProbation());
            state.probations.add(new EngineState.Probation(until, address, false));
            core.counters.conflicted();
            core.emitFor(LeaseEvent.Type.CONFLICT, now, address, offeredTo, new HardwareAddress(0, new byte[0]),
                    subnet.id(), Ipv4Address.ANY, new byte[0], "", until, "answered a ping");
            log.warn("address {} answered a ping before it was offered: held out for {}", address,
                    state.config.declineProbation());
        } finally {
            core.unlock();
        }
    }
}
