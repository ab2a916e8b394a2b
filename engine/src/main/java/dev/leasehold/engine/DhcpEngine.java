package dev.leasehold.engine;

import dev.leasehold.config.ClientClassConfig;
import dev.leasehold.config.LeaseTimers;
import dev.leasehold.config.Reservation;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpMessage.BootOp;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's decisions, RFC 2131 §4.3: which address a client is offered, whether a request is
 * acknowledged or refused, and what release, decline and expiry do to the pools.
 *
 * <p>Threading: in-memory state (free sets, offers, probations) is guarded by one lock, held
 * for microseconds and never across I/O waits. Lease writes are <em>issued</em> under the lock
 * so the store sees them in decision order, and <em>awaited</em> outside it: the returned future
 * completes when the write is durable, and only then does an ACK exist (DESIGN §3).
 */
public final class DhcpEngine {

    private static final Logger log = LoggerFactory.getLogger(DhcpEngine.class);
    /** How many stored leases a candidate address may turn out to be held by before we give up. */
    private static final int MAX_CANDIDATES = 16;
    private static final byte[] NO_BYTES = new byte[0];

    private final LeaseStore store;
    private final Clock clock;
    private final RandomGenerator random;
    private final EngineCounters counters = new EngineCounters();
    private final ReentrantLock lock = new ReentrantLock();
    private final LeaseEventSink events;
    private EngineState state;
    /**
     * Addresses written while a reload builds its new state, or null when none is being built:
     * the new state was indexed from the store before those writes, so it re-reads them.
     */
    private Set<Ipv4Address> writtenDuringRebuild;

    private DhcpEngine(EngineState state, LeaseStore store, Clock clock, RandomGenerator random, LeaseEventSink events) {
        this.state = state;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.events = events;
    }

    /** An engine for {@code config} over the leases already in {@code store}. */
    public static DhcpEngine start(ServerConfig config, LeaseStore store, Clock clock, RandomGenerator random) {
        return start(config, store, clock, random, LeaseEventSink.NONE);
    }

    /** As {@link #start(ServerConfig, LeaseStore, Clock, RandomGenerator)}, telling {@code events} of every lease event. */
    public static DhcpEngine start(ServerConfig config, LeaseStore store, Clock clock, RandomGenerator random,
                                   LeaseEventSink events) {
        return new DhcpEngine(EngineState.build(config, store), store, clock, random, events);
    }

    /**
     * Swaps in a new configuration between two requests. Stored leases are kept and re-indexed
     * against the new subnets; offers still on hold carry over where their address is still a
     * pool address of the same subnet, so a client between OFFER and REQUEST is not NAKed
     * because a reload handed its address to someone else.
     */
    public void reconfigure(ServerConfig config) {
        lock.lock();
        try {
            writtenDuringRebuild = new HashSet<>();
        } finally {
            lock.unlock();
        }
        EngineState next;
        try {
            next = EngineState.build(config, store);
        } catch (RuntimeException e) {
            lock.lock();
            try {
                writtenDuringRebuild = null;
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            Instant now = now();
            for (Ipv4Address written : writtenDuringRebuild) {
                next.resync(written, store.get(written));
            }
            writtenDuringRebuild = null;
            for (OfferBook.Offer offer : state.offers.live(now)) {
                SubnetRuntime subnet = next.subnetsById.get(offer.subnetId());
                if (subnet == null || !subnet.config().prefix().contains(offer.address())) {
                    continue;
                }
                AddressPool pool = subnet.poolOf(offer.address()).orElse(null);
                boolean reserved = subnet.reservationAt(offer.address()) != null;
                if (reserved || (pool != null && pool.take(offer.address()))) {
                    next.offers.put(offer);
                }
            }
            state = next;
        } finally {
            lock.unlock();
        }
    }

    /** Every lease write of the engine goes here, so a reload in progress learns of it. Caller holds the lock. */
    private CompletableFuture<PutResult> write(Lease lease, Instant now) {
        if (writtenDuringRebuild != null) {
            writtenDuringRebuild.add(lease.address());
        }
        return store.put(lease, now);
    }

    private CompletableFuture<Boolean> erase(Ipv4Address address) {
        if (writtenDuringRebuild != null) {
            writtenDuringRebuild.add(address);
        }
        return store.delete(address);
    }

    public ServerConfig config() {
        lock.lock();
        try {
            return state.config;
        } finally {
            lock.unlock();
        }
    }

    public EngineCounters counters() {
        return counters;
    }

    /** Decides the answer to {@code request}; completes once any lease write it needs is durable. */
    public CompletableFuture<Decision> handle(RequestContext ctx, DhcpMessage request) {
        return decide(ctx, request).thenApply(this::count);
    }

    private CompletableFuture<Decision> decide(RequestContext ctx, DhcpMessage request) {
        if (request.op() != BootOp.BOOTREQUEST) {
            return drop(DropReason.NOT_A_REQUEST, "BOOTREPLY received");
        }
        Optional<MessageType> type = request.messageType();
        if (type.isEmpty()) {
            return drop(DropReason.NOT_A_REQUEST, "no DHCP message type (plain BOOTP is not served)");
        }
        counters.received(type.get());
        return switch (type.get()) {
            case DISCOVER -> discover(ctx, request);
            case REQUEST -> request(ctx, request);
            case DECLINE -> decline(request);
            case RELEASE -> release(request);
            case INFORM -> inform(ctx, request);
            default -> drop(DropReason.NOT_A_REQUEST, type.get() + " is not a client message");
        };
    }

    private Decision count(Decision d) {
        switch (d) {
            case Decision.Respond(DhcpMessage reply) -> reply.messageType().ifPresent(counters::replied);
            case Decision.Drop(DropReason reason, String detail) -> counters.dropped(reason);
        }
        return d;
    }

    // ---- DISCOVER (RFC 2131 §4.3.1) ----

    private CompletableFuture<Decision> discover(RequestContext ctx, DhcpMessage request) {
        Instant now = now();
        ClientId clientId = ClientId.of(request);
        HardwareAddress hardware = request.hardwareAddress();
        lock.lock();
        try {
            purgeLapsedOffers(now);
            SubnetRuntime subnet = state.select(ctx, request);
            if (subnet == null) {
                return drop(DropReason.NO_SUBNET, "no subnet for giaddr " + request.giaddr() + " on '" + ctx.interfaceName() + "'");
            }
            List<ClientClassConfig> classes = state.classifier.classify(request);
            List<String> classNames = names(classes);
            Reservation reservation = subnet.reservationFor(clientId, hardware);
            Choice choice = chooseAddress(subnet, clientId, reservation, classNames, request, now);
            if (choice == null) {
                return drop(DropReason.POOL_EXHAUSTED, "subnet " + subnet.id() + " has no free address for " + clientId);
            }
            LeaseTimers timers = subnet.config().timers();
            Duration leaseTime = timers.grant(requestedLeaseTime(request));
            if (subnet.config().rapidCommit() && request.options().contains(OptionCode.RAPID_COMMIT)) {
                // RFC 4039 §4: commit now and answer with an ACK carrying option 80.
                return commit(ctx, request, subnet, classes, reservation, choice.address(), choice.tookSlot(), true, now);
            }
            Ipv4Address address = choice.address();
            OfferBook.Offer previous = state.offers.find(clientId, now);
            if (previous == null || !previous.address().equals(address)) {
                // A repeated DISCOVER keeps its offer (and its hold) as it is; a new one replaces it.
                if (previous != null) {
                    state.offers.remove(clientId);
                    returnToPool(previous.subnetId(), previous.address());
                }
                // The client's own lease already holds the address: an offer of it would hand it
                // back to the pool when withdrawn or lapsed, while the lease still runs.
                if (choice.tookSlot() || reservation != null && reservation.address().equals(address)) {
                    state.offers.put(new OfferBook.Offer(clientId, address, subnet.id(), now.plus(state.config.offerHold())));
                }
            }
            emit(LeaseEvent.Type.OFFER, request, address, subnet.id(), now, now.plus(leaseTime), "");
            return respond(ReplyFactory.offerOrAck(MessageType.OFFER, request, ctx.serverAddress(), subnet, classes,
                    reservation, new ReplyFactory.Grant(address, leaseTime, timers), false));
        } finally {
            lock.unlock();
        }
    }

    /** An address chosen for a client, and whether choosing it took it from the free set. */
    private record Choice(Ipv4Address address, boolean tookSlot) {}

    /**
     * The address to offer, in the order of RFC 2131 §4.3.1: the client's current offer or
     * reservation, its current lease, its most recent earlier lease (affinity), the address it
     * asks for, then any free address of a pool it may use. Leaves the chosen address marked
     * used. Caller holds the lock.
     */
    private Choice chooseAddress(SubnetRuntime subnet, ClientId clientId, Reservation reservation,
                                 List<String> classNames, DhcpMessage request, Instant now) {
        OfferBook.Offer offer = state.offers.find(clientId, now);
        if (offer != null && heldByAnother(offer.address(), clientId, now)) {
            // Stale: someone else holds the address now. Forget the offer, leave the address used.
            state.offers.remove(clientId);
            offer = null;
        }
        if (offer != null && offer.subnetId() == subnet.id()) {
            return new Choice(offer.address(), false);
        }
        if (reservation != null && !heldByAnother(reservation.address(), clientId, now)) {
            return new Choice(reservation.address(), false);
        }
        List<Lease> own = new ArrayList<>();
        for (Lease lease : store.findByClient(clientId)) {
            if (lease.subnetId() == subnet.id() && lease.state() != LeaseState.DECLINED
                    && subnet.config().prefix().contains(lease.address()) && usableBy(subnet, lease.address(), classNames)) {
                own.add(lease);
            }
        }
        // Its live lease first, then the one it held most recently.
        own.sort(java.util.Comparator.comparing((Lease l) -> l.state() != LeaseState.ACTIVE)
                .thenComparing(Lease::expiresAt, java.util.Comparator.reverseOrder()));
        for (Lease lease : own) {
            if (lease.state() == LeaseState.ACTIVE) {
                return new Choice(lease.address(), false); // already marked used
            }
            if (takeIfFree(subnet, lease.address(), clientId, now)) {
                return new Choice(lease.address(), true);
            }
        }
        Optional<Ipv4Address> requested = request.requestedAddress();
        if (requested.isPresent() && usableBy(subnet, requested.get(), classNames)
                && takeIfFree(subnet, requested.get(), clientId, now)) {
            return new Choice(requested.get(), true);
        }
        for (AddressPool pool : subnet.pools()) {
            if (!pool.admits(classNames)) {
                continue;
            }
            for (int i = 0; i < MAX_CANDIDATES; i++) {
                Ipv4Address candidate = pool.allocate(state.config.allocation(), random);
                if (candidate == null) {
                    break;
                }
                // Another server sharing the store may hold it; then it stays marked used.
                if (!heldByAnother(candidate, clientId, now)) {
                    return new Choice(candidate, true);
                }
            }
        }
        return null;
    }

    private boolean usableBy(SubnetRuntime subnet, Ipv4Address address, List<String> classNames) {
        return subnet.poolOf(address).map(p -> p.admits(classNames)).orElse(false) && !subnet.isExcluded(address)
                && subnet.reservationAt(address) == null;
    }

    private boolean takeIfFree(SubnetRuntime subnet, Ipv4Address address, ClientId clientId, Instant now) {
        AddressPool pool = subnet.poolOf(address).orElse(null);
        if (pool == null || !pool.isFree(address) || heldByAnother(address, clientId, now)) {
            return false;
        }
        return pool.take(address);
    }

    private boolean heldByAnother(Ipv4Address address, ClientId clientId, Instant now) {
        Optional<Lease> stored = store.get(address);
        return stored.isPresent() && stored.get().holdsAddressAt(now) && !stored.get().clientId().equals(clientId);
    }

    // ---- REQUEST (RFC 2131 §4.3.2) ----

    private CompletableFuture<Decision> request(RequestContext ctx, DhcpMessage request) {
        Instant now = now();
        ClientId clientId = ClientId.of(request);
        Optional<Ipv4Address> serverId = request.serverIdentifier();
        lock.lock();
        try {
            purgeLapsedOffers(now);
            if (serverId.isPresent()) {
                if (!serverId.get().equals(ctx.serverAddress())) {
                    // SELECTING another server's offer: ours is withdrawn.
                    OfferBook.Offer ours = state.offers.remove(clientId);
                    if (ours != null) {
                        returnToPool(ours.subnetId(), ours.address());
                    }
                    return drop(DropReason.NOT_FOR_US, "client " + clientId + " chose server " + serverId.get());
                }
                return selecting(ctx, request, clientId, now);
            }
            if (request.ciaddr().isAny()) {
                return initReboot(ctx, request, clientId, now);
            }
            return renewing(ctx, request, clientId, now);
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<Decision> selecting(RequestContext ctx, DhcpMessage request, ClientId clientId, Instant now) {
        Optional<Ipv4Address> requested = request.requestedAddress();
        if (requested.isEmpty()) {
            return nak(ctx, request, "REQUEST in SELECTING state without a requested address");
        }
        SubnetRuntime subnet = state.select(ctx, request);
        if (subnet == null || !subnet.config().prefix().contains(requested.get())) {
            return nak(ctx, request, "requested address " + requested.get() + " is not on this network");
        }
        return commitIfTheClients(ctx, request, subnet, clientId, requested.get(), now, true);
    }

    private CompletableFuture<Decision> initReboot(RequestContext ctx, DhcpMessage request, ClientId clientId, Instant now) {
        Optional<Ipv4Address> requested = request.requestedAddress();
        if (requested.isEmpty()) {
            return drop(DropReason.NOT_A_REQUEST, "REQUEST without server id, ciaddr or requested address");
        }
        SubnetRuntime subnet = state.select(ctx, request);
        if (subnet == null) {
            return state.config.authoritative()
                    ? nak(ctx, request, "no subnet for this network")
                    : drop(DropReason.NO_SUBNET, "INIT-REBOOT from an unknown network");
        }
        if (!subnet.config().prefix().contains(requested.get())) {
            return nak(ctx, request, "address " + requested.get() + " is wrong for this network");
        }
        Optional<Lease> stored = store.get(requested.get());
        boolean known = stored.isPresent() && stored.get().clientId().equals(clientId)
                || isReservedFor(subnet, requested.get(), clientId, request.hardwareAddress());
        if (!known && !(stored.isPresent() && stored.get().holdsAddressAt(now)) && !state.config.authoritative()) {
            // RFC 2131 §4.3.2: a server with no record of the client MUST remain silent.
            return drop(DropReason.NOT_FOR_US, "INIT-REBOOT for " + requested.get() + ", no record of " + clientId);
        }
        return commitIfTheClients(ctx, request, subnet, clientId, requested.get(), now, false);
    }

    private CompletableFuture<Decision> renewing(RequestContext ctx, DhcpMessage request, ClientId clientId, Instant now) {
        Ipv4Address address = request.ciaddr();
        SubnetRuntime subnet = state.subnetContaining(address);
        SubnetRuntime selected = state.select(ctx, request);
        if (subnet == null || (selected != null && selected != subnet)) {
            return nak(ctx, request, "address " + address + " is wrong for this network");
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
        List<ClientClassConfig> classes = state.classifier.classify(request);
        Reservation reservation = subnet.reservationFor(clientId, hardware);
        Optional<Lease> stored = store.get(address);
        if (stored.isPresent() && !stored.get().clientId().equals(clientId) && stored.get().holdsAddressAt(now)) {
            return nak(ctx, request, "address " + address + " is leased to another client");
        }
        if (stored.isPresent() && stored.get().clientId().equals(clientId) && stored.get().state() == LeaseState.DECLINED) {
            return nak(ctx, request, "address " + address + " was declined");
        }
        Reservation atAddress = subnet.reservationAt(address);
        if (atAddress != null && atAddress != reservation) {
            return nak(ctx, request, "address " + address + " is reserved for another client");
        }
        if (reservation != null && !reservation.address().equals(address)) {
            return nak(ctx, request, "client has reservation " + reservation.address());
        }
        OfferBook.Offer offer = state.offers.find(clientId, now);
        boolean offered = offer != null && offer.address().equals(address);
        boolean ownRecord = stored.isPresent() && stored.get().clientId().equals(clientId);
        boolean tookSlot = false;
        if (reservation == null && !offered) {
            if (!usableBy(subnet, address, names(classes))) {
                return nak(ctx, request, "address " + address + " is outside the pools this client may use");
            }
            AddressPool pool = subnet.poolOf(address).orElseThrow();
            if (pool.isFree(address)) {
                if (!ownRecord && !mayTakeFree) {
                    return nak(ctx, request, "no lease for " + address);
                }
                tookSlot = pool.take(address);
            } else if (!(ownRecord && stored.get().state() == LeaseState.ACTIVE)) {
                return nak(ctx, request, "address " + address + " is not available");
            }
        }
        return commit(ctx, request, subnet, classes, reservation, address, tookSlot, false, now);
    }

    private boolean isReservedFor(SubnetRuntime subnet, Ipv4Address address, ClientId clientId, HardwareAddress hardware) {
        Reservation r = subnet.reservationFor(clientId, hardware);
        return r != null && r.address().equals(address);
    }

    /**
     * Writes the lease and answers ACK once it is durable; NAK if another server's lease won the
     * address first; silence if the store cannot write (a NAK would only send the client round
     * again), except that a renewal of a lease still stored is acknowledged for its remaining
     * time. Caller holds the lock; the write is issued under it and awaited outside.
     */
    private CompletableFuture<Decision> commit(RequestContext ctx, DhcpMessage request, SubnetRuntime subnet,
                                               List<ClientClassConfig> classes, Reservation reservation,
                                               Ipv4Address address, boolean tookSlot, boolean rapidCommit, Instant now) {
        ClientId clientId = ClientId.of(request);
        LeaseTimers timers = subnet.config().timers();
        Duration leaseTime = timers.grant(requestedLeaseTime(request));
        String hostname = reservation != null && !reservation.hostname().isEmpty()
                ? reservation.hostname() : request.hostName().orElse("");
        Lease lease = new Lease(address, clientId, request.hardwareAddress(), subnet.id(), LeaseState.ACTIVE,
                now, now.plus(leaseTime), sanitize(hostname));
        Optional<Lease> before = store.get(address);
        EngineState issuedIn = state;
        return write(lease, now).thenApply(result -> {
            lock.lock();
            try {
                return switch (result) {
                    case PutResult.Stored stored -> {
                        if (issuedIn == state) {
                            OfferBook.Offer offer = state.offers.remove(clientId);
                            if (offer != null && !offer.address().equals(address)) {
                                returnToPool(offer.subnetId(), offer.address());
                            }
                            releaseOtherLeases(clientId, subnet.id(), address, now);
                        }
                        emit(LeaseEvent.Type.ACK, request, address, subnet.id(), now, lease.expiresAt(), "");
                        yield respondNow(ReplyFactory.offerOrAck(MessageType.ACK, request, ctx.serverAddress(), subnet,
                                classes, reservation, new ReplyFactory.Grant(address, leaseTime, timers), rapidCommit));
                    }
                    case PutResult.Conflict conflict ->
                            nakNow(ctx, request, "address " + address + " was taken by " + conflict.holder().clientId());
                    case PutResult.Failed failed -> {
                        log.warn("lease store refused {} for {}: {}", address, clientId, failed.reason());
                        if (tookSlot && issuedIn == state) {
                            subnet.returnToPool(address);
                        }
                        if (before.isPresent() && before.get().clientId().equals(clientId) && before.get().isActiveAt(now)) {
                            Duration left = Duration.between(now, before.get().expiresAt());
                            emit(LeaseEvent.Type.ACK, request, address, subnet.id(), now, before.get().expiresAt(),
                                    "store unavailable: acknowledged for the time left");
                            yield respondNow(ReplyFactory.offerOrAck(MessageType.ACK, request, ctx.serverAddress(), subnet,
                                    classes, reservation, new ReplyFactory.Grant(address, left, timers), rapidCommit));
                        }
                        yield new Decision.Drop(DropReason.STORE_UNAVAILABLE, failed.reason());
                    }
                };
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * A client holds one lease per subnet (RFC 2131 §4.2 keys a binding on client and network):
     * once it is acknowledged for a new address, its other active leases there end and their
     * addresses go back to the pool. Caller holds the lock.
     */
    private void releaseOtherLeases(ClientId clientId, int subnetId, Ipv4Address kept, Instant now) {
        for (Lease other : store.findByClient(clientId)) {
            if (other.subnetId() == subnetId && !other.address().equals(kept) && other.state() == LeaseState.ACTIVE) {
                write(other.withState(LeaseState.RELEASED, other.start(), max(now, other.start())), now);
                returnToPool(subnetId, other.address());
            }
        }
    }

    /**
     * Withdraws the offer of {@code address} to {@code offeredTo} because something answered a
     * ping to it: another host uses it without a lease from us. The address is held out for the
     * decline probation, in memory only (a restart pings it again), and counted as a conflict.
     * The caller then runs the client's DISCOVER again for another address.
     */
    public void holdOut(Ipv4Address address, ClientId offeredTo) {
        Instant now = now();
        lock.lock();
        try {
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
            state.probations.add(new EngineState.Probation(now.plus(state.config.declineProbation()), address, false));
            counters.conflicted();
            emitFor(LeaseEvent.Type.CONFLICT, now, address, offeredTo, new HardwareAddress(0, new byte[0]), subnet.id(),
                    Ipv4Address.ANY, new byte[0], "", now.plus(state.config.declineProbation()), "answered a ping");
            log.warn("address {} answered a ping before it was offered: held out for {}", address,
                    state.config.declineProbation());
        } finally {
            lock.unlock();
        }
    }

    // ---- DECLINE, RELEASE, INFORM (RFC 2131 §4.3.3 - §4.3.5) ----

    private CompletableFuture<Decision> decline(DhcpMessage request) {
        Instant now = now();
        ClientId clientId = ClientId.of(request);
        Optional<Ipv4Address> address = request.requestedAddress();
        if (address.isEmpty()) {
            return drop(DropReason.NO_REPLY_EXPECTED, "DECLINE without a requested address");
        }
        lock.lock();
        try {
            Optional<Lease> stored = store.get(address.get());
            if (stored.isEmpty() || !stored.get().clientId().equals(clientId) || stored.get().state() != LeaseState.ACTIVE) {
                return drop(DropReason.NO_REPLY_EXPECTED, "DECLINE of " + address.get() + " by a client that does not hold it");
            }
            Instant until = now.plus(state.config.declineProbation());
            counters.declined();
            emit(LeaseEvent.Type.DECLINE, request, address.get(), stored.get().subnetId(), now, until, "");
            state.probations.add(new EngineState.Probation(until, address.get(), true));
            log.info("address {} declined by {}: held out until {}", address.get(), clientId, until);
            return write(stored.get().withState(LeaseState.DECLINED, now, until), now)
                    .thenApply(r -> new Decision.Drop(DropReason.NO_REPLY_EXPECTED, "DECLINE of " + address.get()));
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<Decision> release(DhcpMessage request) {
        Instant now = now();
        ClientId clientId = ClientId.of(request);
        Ipv4Address address = request.ciaddr();
        lock.lock();
        try {
            Optional<Lease> stored = store.get(address);
            if (stored.isEmpty() || !stored.get().clientId().equals(clientId) || stored.get().state() != LeaseState.ACTIVE) {
                return drop(DropReason.NO_REPLY_EXPECTED, "RELEASE of " + address + " by a client that does not hold it");
            }
            Lease released = stored.get().withState(LeaseState.RELEASED, stored.get().start(), max(now, stored.get().start()));
            CompletableFuture<PutResult> write = write(released, now);
            // An offer it had open is void too: its address must not come back to it later
            // once someone else holds it.
            OfferBook.Offer open = state.offers.remove(clientId);
            if (open != null && !open.address().equals(address)) {
                returnToPool(open.subnetId(), open.address());
            }
            emit(LeaseEvent.Type.RELEASE, request, address, released.subnetId(), now, now, "");
            // Free at once, not after the write: the stored record now names this client, so
            // nobody else is offered the address before it is durable (heldByAnother), and the
            // client itself may come straight back for it.
            returnToPool(released.subnetId(), address);
            return write.thenApply(r -> new Decision.Drop(DropReason.NO_REPLY_EXPECTED, "RELEASE of " + address));
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<Decision> inform(RequestContext ctx, DhcpMessage request) {
        lock.lock();
        try {
            SubnetRuntime subnet = request.ciaddr().isAny() ? null : state.subnetContaining(request.ciaddr());
            if (subnet == null) {
                subnet = state.select(ctx, request);
            }
            if (subnet == null) {
                return drop(DropReason.NO_SUBNET, "INFORM from " + request.ciaddr() + " on no configured subnet");
            }
            ClientId clientId = ClientId.of(request);
            Reservation reservation = subnet.reservationFor(clientId, request.hardwareAddress());
            return respond(ReplyFactory.offerOrAck(MessageType.ACK, request, ctx.serverAddress(), subnet,
                    state.classifier.classify(request), reservation,
                    new ReplyFactory.Grant(request.ciaddr(), null, subnet.config().timers()), false));
        } finally {
            lock.unlock();
        }
    }

    // ---- expiry ----

    /**
     * Returns up to {@code max} expired leases and ended probations to their pools, keeping each
     * record (state EXPIRED) so the client's next DISCOVER finds its old address. Lapsed offers
     * are dropped too. Takes the lock per lease, so packet service never waits on a whole sweep.
     *
     * @return how many leases were reclaimed
     */
    public int reclaimExpired(int max) {
        Instant now = now();
        lock.lock();
        try {
            purgeLapsedOffers(now);
        } finally {
            lock.unlock();
        }
        List<Lease> due = new ArrayList<>(store.findExpired(now, max));
        lock.lock();
        try {
            while (due.size() < max && !state.probations.isEmpty() && !state.probations.peek().endsAt().isAfter(now)) {
                EngineState.Probation ended = state.probations.poll();
                if (!ended.stored()) {
                    SubnetRuntime subnet = state.subnetContaining(ended.address());
                    if (subnet != null) {
                        subnet.returnToPool(ended.address());
                    }
                    continue;
                }
                store.get(ended.address())
                        .filter(l -> l.state() == LeaseState.DECLINED && !l.expiresAt().isAfter(now))
                        .ifPresent(due::add);
            }
        } finally {
            lock.unlock();
        }
        List<CompletableFuture<PutResult>> writes = new ArrayList<>(due.size());
        for (Lease lease : due) {
            lock.lock();
            try {
                // Re-read under the lock: a renewal may have been issued since the scan.
                Optional<Lease> current = store.get(lease.address());
                if (current.isEmpty() || !current.get().equals(lease)) {
                    continue;
                }
                EngineState issuedIn = state;
                // An address whose probation ended belongs to nobody: its record goes, so the
                // decliner does not get it back by affinity. An expired lease stays, for affinity.
                CompletableFuture<PutResult> write = lease.state() == LeaseState.DECLINED
                        ? erase(lease.address()).thenApply(gone -> new PutResult.Stored(lease))
                        : write(lease.withState(LeaseState.EXPIRED, lease.start(), lease.expiresAt()), now);
                writes.add(write
                        .whenComplete((r, e) -> {
                            if (r instanceof PutResult.Stored) {
                                counters.reclaimed();
                                emitFor(LeaseEvent.Type.EXPIRE, now, lease.address(), lease.clientId(), lease.hardwareAddress(),
                                        lease.subnetId(), Ipv4Address.ANY, new byte[0], lease.hostname(), lease.expiresAt(),
                                        lease.state() == LeaseState.DECLINED ? "probation over" : "");
                                lock.lock();
                                try {
                                    if (issuedIn == state) {
                                        returnToPool(lease.subnetId(), lease.address());
                                    }
                                } finally {
                                    lock.unlock();
                                }
                            }
                        }));
            } finally {
                lock.unlock();
            }
        }
        int reclaimed = 0;
        for (CompletableFuture<PutResult> w : writes) {
            if (w.join() instanceof PutResult.Stored) {
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** Addresses per subnet: total dynamic, free now, outstanding offers; for metrics and status. */
    public List<SubnetUsage> usage() {
        lock.lock();
        try {
            List<SubnetUsage> out = new ArrayList<>();
            for (SubnetRuntime s : state.subnets) {
                long total = 0;
                long free = 0;
                for (AddressPool p : s.pools()) {
                    total += p.size();
                    free += p.freeCount();
                }
                out.add(new SubnetUsage(s.id(), s.config().prefix().toString(), total, free));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public int outstandingOffers() {
        lock.lock();
        try {
            return state.offers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Usage of one subnet's dynamic pools. */
    public record SubnetUsage(int subnetId, String prefix, long totalAddresses, long freeAddresses) {}

    // ---- operator changes (control API) ----

    /**
     * Stores {@code lease} as an operator asked (the control API's add and update), keeping the
     * pools in step with the store: an address the new record holds ({@link Lease#holdsAddressAt})
     * is taken out of its pool before the write is issued, so no DISCOVER can be offered it
     * meanwhile; an address it no longer holds goes back once the write is durable. A DECLINED
     * record starts a probation that ends at its {@code expiresAt}. The store stays the last word:
     * a lease another client holds comes back as {@link PutResult.Conflict} and nothing changes.
     *
     * <p>An outstanding offer of the address to another client is not withdrawn here (offers are
     * indexed by client); that client's REQUEST then meets the stored record and gets a NAK.
     */
    public CompletableFuture<PutResult> adminPut(Lease lease) {
        Instant now = now();
        Ipv4Address address = lease.address();
        lock.lock();
        try {
            EngineState issuedIn = state;
            SubnetRuntime subnet = state.subnetContaining(address);
            boolean holds = lease.holdsAddressAt(now);
            boolean tookSlot = false;
            if (holds && subnet != null) {
                AddressPool pool = subnet.poolOf(address).orElse(null);
                if (pool != null && pool.isFree(address)) {
                    tookSlot = pool.take(address);
                }
            }
            boolean took = tookSlot;
            return write(lease, now).thenApply(result -> {
                lock.lock();
                try {
                    if (issuedIn == state && subnet != null) {
                        if (result instanceof PutResult.Stored) {
                            if (lease.state() == LeaseState.DECLINED && holds) {
                                state.probations.add(new EngineState.Probation(lease.expiresAt(), address, true));
                            } else if (!holds) {
                                subnet.returnToPool(address);
                            }
                        } else if (took) {
                            subnet.returnToPool(address);
                        }
                    }
                    return result;
                } finally {
                    lock.unlock();
                }
            });
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the record of {@code address} as an operator asked (the control API's delete and
     * wipe) and, once the removal is durable, returns the address to its pool (unless a
     * reservation or exclusion keeps it out). Completes with the removed lease, or empty when
     * there was none; exceptionally when the store could not write the removal.
     */
    public CompletableFuture<Optional<Lease>> adminDelete(Ipv4Address address) {
        lock.lock();
        try {
            Optional<Lease> before = store.get(address);
            if (before.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            EngineState issuedIn = state;
            return erase(address).thenApply(gone -> {
                if (!gone) {
                    return Optional.<Lease>empty();
                }
                lock.lock();
                try {
                    SubnetRuntime subnet = state.subnetContaining(address);
                    // A client may have been granted the address again between the delete and now.
                    if (issuedIn == state && subnet != null && store.get(address).isEmpty()) {
                        subnet.returnToPool(address);
                    }
                } finally {
                    lock.unlock();
                }
                return before;
            });
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers ----

    private void emit(LeaseEvent.Type type, DhcpMessage request, Ipv4Address address, int subnetId, Instant now,
                      Instant expiresAt, String detail) {
        if (events == LeaseEventSink.NONE) {
            return; // nobody listens: spare the packet path the event's copies
        }
        byte[] circuit = request.giaddr().isAny() ? NO_BYTES
                : request.relaySubOption(dev.leasehold.wire.RelayAgentInformation.CIRCUIT_ID).orElse(NO_BYTES);
        emitFor(type, now, address, ClientId.of(request), request.hardwareAddress(), subnetId, request.giaddr(), circuit,
                request.hostName().map(DhcpEngine::sanitize).orElse(""), expiresAt, detail);
    }

    /** Tells the sink; a failing sink is logged, never allowed to break packet service. */
    private void emitFor(LeaseEvent.Type type, Instant now, Ipv4Address address, ClientId clientId, HardwareAddress hardware,
                         int subnetId, Ipv4Address relay, byte[] circuitId, String hostname, Instant expiresAt, String detail) {
        try {
            events.accept(new LeaseEvent(type, now, address, clientId, hardware, subnetId, relay, circuitId, hostname,
                    expiresAt, detail));
        } catch (RuntimeException e) {
            log.error("lease event sink failed on {} {}", type, address, e);
        }
    }

    /**
     * Frees the addresses of offers whose hold ran out. Cheap (only lapsed offers are touched), so
     * it runs before every DISCOVER and REQUEST: a lapsed offer never blocks its address, even
     * between two reclaimer runs. Caller holds the lock.
     */
    private void purgeLapsedOffers(Instant now) {
        state.offers.purge(now, o -> returnToPool(o.subnetId(), o.address()));
    }

    private void returnToPool(int subnetId, Ipv4Address address) {
        SubnetRuntime subnet = state.subnetsById.get(subnetId);
        if (subnet != null) {
            subnet.returnToPool(address);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static Duration requestedLeaseTime(DhcpMessage request) {
        var requested = request.requestedLeaseTime();
        return requested.isPresent() ? Duration.ofSeconds(requested.getAsLong()) : null;
    }

    private static List<String> names(List<ClientClassConfig> classes) {
        if (classes.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(classes.size());
        for (ClientClassConfig c : classes) {
            out.add(c.name());
        }
        return out;
    }

    /** Host names end up in logs and the API: keep printable ASCII only, at most 255 characters. */
    private static String sanitize(String hostname) {
        StringBuilder b = new StringBuilder(Math.min(hostname.length(), 255));
        for (int i = 0; i < hostname.length() && b.length() < 255; i++) {
            char c = hostname.charAt(i);
            if (c > 0x20 && c < 0x7F) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static CompletableFuture<Decision> drop(DropReason reason, String detail) {
        return CompletableFuture.completedFuture(new Decision.Drop(reason, detail));
    }

    private static CompletableFuture<Decision> respond(DhcpMessage reply) {
        return CompletableFuture.completedFuture(new Decision.Respond(reply));
    }

    private static Decision respondNow(DhcpMessage reply) {
        return new Decision.Respond(reply);
    }

    private CompletableFuture<Decision> nak(RequestContext ctx, DhcpMessage request, String why) {
        return CompletableFuture.completedFuture(nakNow(ctx, request, why));
    }

    private Decision nakNow(RequestContext ctx, DhcpMessage request, String why) {
        log.debug("NAK to {}: {}", request.hardwareAddress(), why);
        Ipv4Address asked = request.ciaddr().isAny() ? request.requestedAddress().orElse(Ipv4Address.ANY) : request.ciaddr();
        Instant now = now();
        emit(LeaseEvent.Type.NAK, request, asked, -1, now, now, why);
        return new Decision.Respond(ReplyFactory.nak(request, ctx.serverAddress(), why));
    }
}
