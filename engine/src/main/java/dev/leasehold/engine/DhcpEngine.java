package dev.leasehold.engine;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpMessage.BootOp;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The server's decisions, RFC 2131 §4.3, behind one entry point per caller: {@link #handle} for
 * the packet pipeline, {@link #reclaimExpired} for the reclaimer, {@link #reconfigure} for
 * reload, {@link #adminPut}/{@link #adminDelete} for the control API. The work itself is done by
 * one class per seam, all sharing one {@link EngineCore} (state, lock, store, clock):
 *
 * <ul>
 *   <li>{@link AddressAllocator}: which address a client gets; the free sets as a cache of the store;</li>
 *   <li>{@link Discovery}: DISCOVER → OFFER (and rapid commit), ping-conflict hold-outs;</li>
 *   <li>{@link RequestDecisions}: REQUEST in all its states → ACK, NAK or silence; the commit;</li>
 *   <li>{@link ClientNotices}: DECLINE, RELEASE, INFORM;</li>
 *   <li>{@link LeaseReclaimer}: expiry and the end of decline probations;</li>
 *   <li>{@link Administration}: reload, operator writes, and other writers' changes to a shared store.</li>
 * </ul>
 *
 * <p>Threads: the engine owns none; see {@link EngineCore} for the lock and for where events
 * and continuations run. A shared store's change feed reaches {@link Administration#refresh}
 * through {@link LeaseStore#watchExternalChanges}, registered at {@link #start}.
 */
public final class DhcpEngine {

    private final EngineCore core;
    private final Discovery discovery;
    private final RequestDecisions requests;
    private final ClientNotices notices;
    private final LeaseReclaimer reclaimer;
    private final Administration administration;

    private DhcpEngine(EngineCore core) {
        this.core = core;
        AddressAllocator allocator = new AddressAllocator(core);
        this.requests = new RequestDecisions(core, allocator);
        this.discovery = new Discovery(core, allocator, requests);
        this.notices = new ClientNotices(core);
        this.reclaimer = new LeaseReclaimer(core);
        this.administration = new Administration(core);
    }

    /** An engine for {@code config} over the leases already in {@code store}. */
    public static DhcpEngine start(ServerConfig config, LeaseStore store, Clock clock, RandomGenerator random) {
        return start(config, store, clock, random, LeaseEventSink.NONE);
    }

    /** As {@link #start(ServerConfig, LeaseStore, Clock, RandomGenerator)}, telling {@code events} of every lease event. */
    public static DhcpEngine start(ServerConfig config, LeaseStore store, Clock clock, RandomGenerator random,
                                   LeaseEventSink events) {
        DhcpEngine engine = new DhcpEngine(new EngineCore(EngineState.build(config, store), store, clock, random, events));
        store.watchExternalChanges(engine.administration::refresh);
        return engine;
    }

    /**
     * Swaps in a new configuration between two requests. Stored leases are kept and re-indexed
     * against the new subnets; offers on hold carry over (see {@link Administration#rebuild}).
     */
    public void reconfigure(ServerConfig config) {
        administration.rebuild(config);
    }

    /**
     * Brings the free sets in line with what the store says of {@code address}, which another
     * writer changed. Shared stores call this through {@link LeaseStore#watchExternalChanges};
     * public for stores and tools that change the store behind the engine's back.
     */
    public void refresh(Ipv4Address address) {
        administration.refresh(address);
    }

    public ServerConfig config() {
        core.lock();
        try {
            return core.state.config;
        } finally {
            core.unlock();
        }
    }

    public EngineCounters counters() {
        return core.counters;
    }

    /** Decides the answer to {@code request}; completes once any lease write it needs is durable. */
    public CompletableFuture<Decision> handle(RequestContext ctx, DhcpMessage request) {
        return decide(ctx, request).thenApply(this::count);
    }

    private CompletableFuture<Decision> decide(RequestContext ctx, DhcpMessage request) {
        if (request.op() != BootOp.BOOTREQUEST) {
            return Decisions.drop(DropReason.NOT_A_REQUEST, "BOOTREPLY received");
        }
        Optional<MessageType> type = request.messageType();
        if (type.isEmpty()) {
            return Decisions.drop(DropReason.NOT_A_REQUEST, "no DHCP message type (plain BOOTP is not served)");
        }
        core.counters.received(type.get());
        if (core.limitsConfigured()) {
            switch (core.admit(ctx, request)) {
                case AbuseGuard.Admission.Refuse(AbuseGuard.Verdict verdict) -> {
                    return Decisions.drop(verdict.reason(), verdict.detail());
                }
                case AbuseGuard.Admission.Serve(DhcpMessage served) -> request = served;
            }
        }
        return switch (type.get()) {
            case DISCOVER -> discovery.discover(ctx, request);
            case REQUEST -> requests.request(ctx, request);
            case DECLINE -> notices.decline(request);
            case RELEASE -> notices.release(request);
            case INFORM -> notices.inform(ctx, request);
            default -> Decisions.drop(DropReason.NOT_A_REQUEST, type.get() + " is not a client message");
        };
    }

    private Decision count(Decision d) {
        switch (d) {
            case Decision.Respond(DhcpMessage reply) -> reply.messageType().ifPresent(core.counters::replied);
            case Decision.Drop(DropReason reason, String detail) -> core.counters.dropped(reason);
        }
        return d;
    }

    /**
     * Withdraws the offer of {@code address} to {@code offeredTo} because the address answered a
     * ping; the caller then runs the client's DISCOVER again (see {@link Discovery#holdOut}).
     */
    public void holdOut(Ipv4Address address, ClientId offeredTo) {
        discovery.holdOut(address, offeredTo);
    }

    /**
     * Returns up to {@code max} expired leases and ended probations to their pools, keeping each
     * expired record for affinity; first re-indexes the free sets if a request found them stale.
     *
     * @return how many leases were reclaimed
     */
    public int reclaimExpired(int max) {
        if (core.refreshWanted) {
            core.refreshWanted = false;
            administration.rebuild(config());
        }
        return reclaimer.reclaimExpired(max);
    }

    /** Addresses per subnet: total dynamic, free now, outstanding offers; for metrics and status. */
    public List<SubnetUsage> usage() {
        core.lock();
        try {
            List<SubnetUsage> out = new ArrayList<>();
            for (SubnetRuntime s : core.state.subnets) {
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
            core.unlock();
        }
    }

    public int outstandingOffers() {
        core.lock();
        try {
            return core.state.offers.size();
        } finally {
            core.unlock();
        }
    }

    /** Outstanding offers by subnet id (subnets with none are absent). */
    public java.util.Map<Integer, Integer> outstandingOffersBySubnet() {
        core.lock();
        try {
            return core.state.offers.countBySubnet();
        } finally {
            core.unlock();
        }
    }

    /** Addresses per pool, in configuration order: Kea's per-pool statistics. */
    public List<PoolUsage> poolUsage() {
        core.lock();
        try {
            List<PoolUsage> out = new ArrayList<>();
            for (SubnetRuntime s : core.state.subnets) {
                for (AddressPool p : s.pools()) {
                    out.add(new PoolUsage(s.id(), p.config().range().first().toString(),
                            p.config().range().last().toString(), p.size(), p.freeCount()));
                }
            }
            return out;
        } finally {
            core.unlock();
        }
    }

    /** Usage of one dynamic pool ({@code first}-{@code last}) of subnet {@code subnetId}. */
    public record PoolUsage(int subnetId, String first, String last, long totalAddresses, long freeAddresses) {}

    /** Usage of one subnet's dynamic pools. */
    public record SubnetUsage(int subnetId, String prefix, long totalAddresses, long freeAddresses) {}

    /** Stores {@code lease} as an operator asked, keeping the pools in step (see {@link Administration#put}). */
    public CompletableFuture<PutResult> adminPut(Lease lease) {
        return administration.put(lease);
    }

    /** Removes the record of {@code address} as an operator asked (see {@link Administration#delete}). */
    public CompletableFuture<Optional<Lease>> adminDelete(Ipv4Address address) {
        return administration.delete(address);
    }
}
