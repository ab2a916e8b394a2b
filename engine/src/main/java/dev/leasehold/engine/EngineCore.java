package dev.leasehold.engine;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.RelayAgentInformation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every part of the engine shares: the store, the clock, the random source, the counters,
 * the current {@link EngineState} and the one lock that guards it.
 *
 * <p><b>Threads.</b> The engine owns no thread. Its parts run on the caller's thread: the
 * receiver for decisions, the store's completion thread for commit continuations, the
 * reclaimer, the control API's threads, and the store's change-feed thread for
 * {@link Administration#refresh}. Whatever the thread, in-memory state is touched only between
 * {@link #lock()} and {@link #unlock()}, which is held for microseconds and never across an I/O
 * wait: under it the store is only <em>read</em> (its reads are memory lookups by the
 * {@link LeaseStore} contract) and writes are <em>issued</em> (so the store sees them in decision
 * order), never awaited.
 *
 * <p><b>Events leave after the lock.</b> {@link #emit} only queues; {@link #unlock()} hands
 * the queued events to the sink once the lock is released, so a slow sink can delay its own
 * caller but never another thread waiting for the engine.
 */
final class EngineCore {

    private static final Logger log = LoggerFactory.getLogger(EngineCore.class);
    private static final byte[] NO_BYTES = new byte[0];

    final LeaseStore store;
    final Clock clock;
    final RandomGenerator random;
    final EngineCounters counters = new EngineCounters();
    /** The abuse limits' state, kept across reloads. Guarded by the lock. */
    final AbuseGuard guard;
    private final ReentrantLock lock = new ReentrantLock();
    private final LeaseEventSink events;
    /** Events emitted under the lock, delivered by the outermost {@link #unlock()}. Guarded by the lock. */
    private List<LeaseEvent> pendingEvents = new ArrayList<>();
    /** Guarded by the lock; replaced whole on reload. */
    volatile EngineState state; // volatile only for limitsConfigured(), which reads it without the lock
    /**
     * Addresses written while a reload or refresh builds its new state, or null when none is
     * being built: the new state was indexed from the store before those writes, so it re-reads
     * them. Guarded by the lock.
     */
    private Set<Ipv4Address> writtenDuringRebuild;
    /** Set when the free sets proved stale; the next reclaimer run re-indexes them. */
    volatile boolean refreshWanted;

    EngineCore(EngineState state, LeaseStore store, Clock clock, RandomGenerator random, LeaseEventSink events) {
        this.state = state;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.events = events;
        this.guard = new AbuseGuard(clock);
    }

    void lock() {
        lock.lock();
    }

    /** Releases the lock and, when this was the outermost hold, delivers the events queued under it. */
    void unlock() {
        List<LeaseEvent> deliver = null;
        if (lock.getHoldCount() == 1 && !pendingEvents.isEmpty()) {
            deliver = pendingEvents;
            pendingEvents = new ArrayList<>();
        }
        lock.unlock();
        if (deliver != null) {
            for (LeaseEvent event : deliver) {
                try {
                    events.accept(event);
                } catch (RuntimeException e) {
                    log.error("lease event sink failed on {} {}", event.type(), event.address(), e);
                }
            }
        }
    }

    /** Whether any limits are configured at all: without them, {@link #admit} is skipped on the packet path. */
    boolean limitsConfigured() {
        return state.anyLimits;
    }

    /** Relay trust and option 82 without giaddr ({@link AbuseGuard#admit}), under the lock. */
    AbuseGuard.Admission admit(RequestContext ctx, DhcpMessage request) {
        lock();
        try {
            SubnetRuntime selected = state.select(ctx, request);
            return guard.admit(request, ctx, selected == null ? state.config.limits()
                    : state.config.limitsFor(selected.config()));
        } finally {
            unlock();
        }
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    // ---- writes: every lease write of the engine goes through here, so a rebuild in progress learns of it ----

    /** Issues a write. Caller holds the lock. */
    CompletableFuture<PutResult> write(Lease lease, Instant now) {
        if (writtenDuringRebuild != null) {
            writtenDuringRebuild.add(lease.address());
        }
        if (lease.state() != dev.leasehold.lease.LeaseState.ACTIVE) {
            guard.unbound(lease.address());
        }
        return store.put(lease, now);
    }

    /** Issues a removal. Caller holds the lock. */
    CompletableFuture<Boolean> erase(Ipv4Address address) {
        if (writtenDuringRebuild != null) {
            writtenDuringRebuild.add(address);
        }
        guard.unbound(address);
        return store.delete(address);
    }

    /** Starts recording the addresses written from now on. Caller holds the lock. */
    void beginRebuild() {
        writtenDuringRebuild = new HashSet<>();
    }

    /** Stops recording and returns what was written since {@link #beginRebuild()}. Caller holds the lock. */
    Set<Ipv4Address> endRebuild() {
        Set<Ipv4Address> written = writtenDuringRebuild == null ? Set.of() : writtenDuringRebuild;
        writtenDuringRebuild = null;
        return written;
    }

    /** Whether a rebuild is recording writes (an external change must then be replayed into it too). */
    boolean rebuilding() {
        return writtenDuringRebuild != null;
    }

    /** Records {@code address} as changed for a rebuild in progress. Caller holds the lock. */
    void noteChanged(Ipv4Address address) {
        if (writtenDuringRebuild != null) {
            writtenDuringRebuild.add(address);
        }
    }

    // ---- pools ----

    /**
     * Frees the addresses of offers whose hold ran out. Cheap (only lapsed offers are touched), so
     * it runs before every DISCOVER and REQUEST: a lapsed offer never blocks its address, even
     * between two reclaimer runs. Caller holds the lock.
     */
    void purgeLapsedOffers(Instant now) {
        state.offers.purge(now, o -> returnToPool(o.subnetId(), o.address()));
    }

    /** Caller holds the lock. */
    void returnToPool(int subnetId, Ipv4Address address) {
        SubnetRuntime subnet = state.subnetsById.get(subnetId);
        if (subnet != null) {
            subnet.returnToPool(address);
        }
    }

    // ---- events ----

    /** Queues an event about {@code request}'s client. Caller holds the lock. */
    void emit(LeaseEvent.Type type, DhcpMessage request, Ipv4Address address, int subnetId, Instant now,
              Instant expiresAt, String detail) {
        if (events == LeaseEventSink.NONE) {
            return; // nobody listens: spare the packet path the event's copies
        }
        byte[] circuit = request.giaddr().isAny() ? NO_BYTES
                : request.relaySubOption(RelayAgentInformation.CIRCUIT_ID).orElse(NO_BYTES);
        pendingEvents.add(new LeaseEvent(type, now, address, ClientId.of(request), request.hardwareAddress(), subnetId,
                request.giaddr(), circuit, request.hostName().map(HostNames::sanitize).orElse(""), expiresAt, detail,
                type == LeaseEvent.Type.ACK ? dnsUpdate(request, subnetId, address) : DnsUpdate.NONE));
    }

    /** The DNS registration an ACK asks for (RFC 4702 §4), by the subnet's {@code ddns-*} settings. */
    private DnsUpdate dnsUpdate(DhcpMessage request, int subnetId, Ipv4Address address) {
        SubnetRuntime subnet = state.subnetsById.get(subnetId);
        if (subnet == null || !subnet.config().ddns().sendUpdates()) {
            return DnsUpdate.NONE;
        }
        dev.leasehold.config.Reservation reservation = subnet.reservationFor(ClientId.of(request), request.hardwareAddress());
        return ClientFqdnReply.dnsUpdate(request,
                ClientFqdnReply.decide(request, subnet.config().ddns(), reservation, address));
    }

    /** Queues an event. Caller holds the lock. */
    void emitFor(LeaseEvent.Type type, Instant now, Ipv4Address address, ClientId clientId, HardwareAddress hardware,
                 int subnetId, Ipv4Address relay, byte[] circuitId, String hostname, Instant expiresAt, String detail) {
        if (events == LeaseEventSink.NONE) {
            return;
        }
        pendingEvents.add(new LeaseEvent(type, now, address, clientId, hardware, subnetId, relay, circuitId, hostname,
                expiresAt, detail));
    }
}
