package dev.leasehold.bench.simulation;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.engine.Decision;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.engine.RequestContext;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic simulation of a DHCP network around the real {@link DhcpEngine}: a fleet of
 * {@link VirtualClient}s arrives over virtual days (more by day than by night), and goes through
 * the lifecycles of RFC 2131 §4.4 as real clients do — DISCOVER/OFFER/REQUEST/ACK (or an ACK at
 * once under rapid commit, RFC 4039), retries when the pool is full, renewal at T1
 * with jitter, rebinding at T2 when a renewal is lost, offers left unanswered or answered late,
 * offers of another server taken instead, DECLINE after an ARP conflict, reboots with INIT-REBOOT,
 * silent departures and RELEASEs, and returns days later — directly attached or behind relays
 * (giaddr and option 82), some with reservations, while the configuration is reloaded with changed
 * pools and the reclaimer runs every {@link SimulatedNetwork#RECLAIM_INTERVAL}.
 *
 * <p>Time is a {@link FakeClock} moved from event to event, every random draw comes from the
 * run's seed, and each request is decided before the next is sent, so one seed always replays the
 * same run: a failure names the seed and the command that replays it. The rules checked are
 * those of {@link LeaseModel}, plus affinity: a returning client whose old address is still free
 * (its record names it, no reservation, lease or offer of another holds it) is offered that
 * address again, or acknowledged it at INIT-REBOOT (RFC 2131 §4.3.1, §4.3.2).
 *
 * <p>Uses only the engine's public calls: {@code start}, {@code handle}, {@code reclaimExpired},
 * {@code reconfigure}, and {@code usage} and {@code outstandingOffers} for the audit. Not
 * thread-safe: one run, one thread.
 */
public final class EngineSimulation {

    private static final int RECLAIM_BATCH = 1_000;
    private static final double ABANDONS_OFFER = 0.01;
    private static final double TAKES_OTHER_SERVER = 0.005;
    private static final double REQUESTS_LATE = 0.01;
    private static final double DECLINES = 0.003;
    private static final double LOSES_RENEWAL = 0.05;
    private static final double REBOOTS = 0.15;
    private static final double RELEASES_ON_DEPARTURE = 0.3;
    private static final double RETURNS = 0.4;
    private static final double RESERVED = 1.0 / 400;
    private static final double RAPID_COMMIT = 0.2;
    private static final long MEAN_SESSION = Duration.ofHours(4).toSeconds();
    private static final long MEAN_AWAY = Duration.ofHours(12).toSeconds();
    private static final Set<DropReason> LIMITS =
            EnumSet.of(DropReason.RATE_LIMITED, DropReason.LEASE_LIMIT, DropReason.OFFER_SHARE_LIMIT);

    private enum Kind { ARRIVE, RETRY, SELECT, RENEW, REBIND, EXPIRE, REBOOT, DEPART, RECLAIM, RELOAD }

    private record Event(long at, long sequence, int client, int generation, Kind kind) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final SimulationSettings settings;
    private final LeaseStore store;
    private final SimulatedNetwork network;
    private final VirtualClient[] clients;
    private final SplittableRandom random;
    private final FakeClock clock = FakeClock.standing();
    private final long epoch = FakeClock.DEFAULT_START.getEpochSecond();
    private final long end;
    private final DhcpEngine engine;
    private final LeaseModel model;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Consumer<String> progress;
    private long sequence;
    private int variant;
    private long now;

    private long requests;
    private long acks;
    private long naks;
    private long offers;
    private long releases;
    private long declines;
    private long exhausted;
    private long limited;
    private long reclaimed;
    private int reloads;
    private long affinityChecks;
    private long trace = 17;

    /**
     * A run of {@code settings} over {@code store}, which must be empty and is not closed here;
     * {@code progress} hears a line per virtual day.
     */
    public EngineSimulation(SimulationSettings settings, LeaseStore store, Consumer<String> progress) {
        this.settings = settings;
        this.store = store;
        this.progress = progress;
        this.random = new SplittableRandom(settings.seed());
        this.end = settings.duration().toSeconds();
        this.network = new SimulatedNetwork(settings.clients(), settings.duration());
        this.clients = new VirtualClient[settings.clients()];
        // About a dozen clients per switch port, whatever the size of the fleet.
        int circuits = Math.max(64, settings.clients() / 12);
        for (int i = 0; i < clients.length; i++) {
            int site = network.siteFor(random.nextDouble());
            VirtualClient c = new VirtualClient(i, 0x02_5A_00_00_00_00L + i, site, i % circuits, random.nextBoolean(),
                    random.nextDouble() < 0.3, random.nextBoolean(), random.nextDouble() < RAPID_COMMIT);
            if (random.nextDouble() < RESERVED) {
                network.maybeReserve(c);
            }
            clients[i] = c;
            schedule(c, arrivalTime(), Kind.ARRIVE);
        }
        this.engine = DhcpEngine.start(network.config(0), store, clock, new SplittableRandom(settings.seed() ^ 0x5EED));
        this.model = new LeaseModel(store, epoch, network, i -> clients[i]);
        events.add(new Event(SimulatedNetwork.RECLAIM_INTERVAL.toSeconds(), sequence++, -1, 0, Kind.RECLAIM));
        if (settings.reloadEvery().isPositive()) {
            events.add(new Event(settings.reloadEvery().toSeconds(), sequence++, -1, 0, Kind.RELOAD));
        }
    }

    /** Runs to the end of the virtual time; throws {@link InvariantViolation} naming the seed on the first broken rule. */
    public SimulationReport run() {
        long started = System.nanoTime();
        long nextDay = 86_400;
        Event event = null;
        try {
            while (!events.isEmpty() && events.peek().at < end) {
                event = events.poll();
                if (event.client >= 0 && event.generation != clients[event.client].generation) {
                    continue; // superseded
                }
                now = event.at;
                clock.set(Instant.ofEpochSecond(epoch + now));
                if (now >= nextDay) {
                    progress.accept("day %d: %,d requests, %,d ACKs, %,d checks, %.0f s".formatted(nextDay / 86_400,
                            requests, acks, model.checks(), (System.nanoTime() - started) / 1e9));
                    nextDay += 86_400;
                }
                dispatch(event);
            }
            now = end;
            clock.set(Instant.ofEpochSecond(epoch + now));
            reclaimAndAudit(true);
        } catch (InvariantViolation | RuntimeException e) {
            String where = event == null || event.client < 0 ? "" : " during " + event.kind + " of " + clients[event.client];
            throw new InvariantViolation("simulation seed %d broke a rule at virtual %s%s: %s%n  replay: %s"
                    .formatted(settings.seed(), Duration.ofSeconds(now), where, e.getMessage(), replayCommand()), e);
        }
        return new SimulationReport(settings, Duration.ofNanos(System.nanoTime() - started), requests, acks, naks, offers,
                releases, declines, exhausted, limited, reclaimed, reloads, affinityChecks, model.checks(), model.peakHolders(),
                store.size(), trace);
    }

    /** How to run this exact simulation again. */
    public String replayCommand() {
        return "java -cp bench/target/benchmarks.jar " + SimulateWeek.class.getName() + " " + settings.replayArguments();
    }

    private void dispatch(Event e) {
        switch (e.kind) {
            case RECLAIM -> {
                reclaimAndAudit(now % settings.auditEvery().toSeconds() == 0);
                events.add(new Event(now + SimulatedNetwork.RECLAIM_INTERVAL.toSeconds(), sequence++, -1, 0, Kind.RECLAIM));
            }
            case RELOAD -> {
                variant ^= 1;
                engine.reconfigure(network.config(variant));
                model.reloaded(variant, now);
                reloads++;
                events.add(new Event(now + settings.reloadEvery().toSeconds(), sequence++, -1, 0, Kind.RELOAD));
            }
            case ARRIVE -> arrive(clients[e.client]);
            case RETRY -> {
                VirtualClient c = clients[e.client];
                if (now >= c.sessionEnd) {
                    depart(c);
                } else {
                    discover(c);
                }
            }
            case SELECT -> select(clients[e.client]);
            case RENEW -> renew(clients[e.client], false);
            case REBIND -> renew(clients[e.client], true);
            case EXPIRE -> {
                VirtualClient c = clients[e.client];
                c.unbind();
                discover(c);
            }
            case REBOOT -> reboot(clients[e.client]);
            case DEPART -> depart(clients[e.client]);
        }
    }

    // ---- the client lifecycle ----

    private void arrive(VirtualClient c) {
        c.sessionEnd = now + clamp(exponential(MEAN_SESSION), 300, 3 * 86_400);
        c.rebootAt = random.nextDouble() < REBOOTS ? now + random.nextLong(1, c.sessionEnd - now + 1) : Long.MAX_VALUE;
        c.phase = VirtualClient.Phase.INIT;
        if (c.returning && c.remembered != null && c.rebootsOnReturn) {
            initReboot(c, c.remembered);
        } else {
            discover(c);
        }
    }

    private void discover(VirtualClient c) {
        c.phase = VirtualClient.Phase.INIT;
        Ipv4Address expected = expectedOffer(c);
        boolean holdsOwnLease = c.remembered != null && model.holds(c, c.remembered, now);
        boolean newcomer = network.reservationOf(c) == null && model.liveOffer(c, now) == null
                && store.findByClient(c.clientId()).stream().noneMatch(l -> l.subnetId() == network.site(c.site).id());
        int onCircuit = c.site == SimulatedNetwork.LIMITED_SITE ? model.leasesOnCircuit(c.site, c.circuit()) : 0;
        DhcpMessage request = c.messages(relayOf(c)).discover(c.newXid(), null, c.asksRapidCommit);
        Decision d = send(c, request, true);
        if (d instanceof Decision.Drop(DropReason reason, String detail) && LIMITS.contains(reason)) {
            checkLimited(c, reason, detail, holdsOwnLease);
            schedule(c, now + random.nextLong(60, 301), Kind.RETRY);
            return;
        }
        if (d instanceof Decision.Drop(DropReason reason, String detail)) {
            if (reason != DropReason.POOL_EXHAUSTED) {
                throw new InvariantViolation("DISCOVER dropped: " + reason + " (" + detail + ")");
            }
            long free = engine.usage().stream().filter(u -> u.subnetId() == network.site(c.site).id())
                    .mapToLong(DhcpEngine.SubnetUsage::freeAddresses).sum();
            if (free != 0) {
                throw new InvariantViolation("DISCOVER dropped as pool-exhausted with " + free + " free addresses");
            }
            exhausted++;
            // It tries again within dhclient's default five minutes ("retry 300").
            schedule(c, now + random.nextLong(60, 301), Kind.RETRY);
            return;
        }
        DhcpMessage offer = ((Decision.Respond) d).reply();
        if (newcomer && c.site == SimulatedNetwork.LIMITED_SITE && onCircuit >= SimulatedNetwork.LEASES_PER_CIRCUIT) {
            throw new InvariantViolation("a client new to the network was offered an address on circuit " + c.circuit()
                    + ", which holds " + onCircuit + " leases, its limit " + SimulatedNetwork.LEASES_PER_CIRCUIT);
        }
        boolean rapid = c.asksRapidCommit && c.site == SimulatedNetwork.RAPID_COMMIT_SITE;
        expectType(offer, rapid ? MessageType.ACK : MessageType.OFFER, rapid ? "DISCOVER with rapid commit" : "DISCOVER");
        Ipv4Address address = offer.yiaddr();
        if (expected != null && !address.equals(expected)) {
            throw new InvariantViolation((rapid ? "acknowledged " : "offered ") + address + " instead of " + expected
                    + (expected.equals(network.reservationOf(c)) ? ", its reservation" : ", its old address, which is free"));
        }
        if (expected != null && c.returning && !expected.equals(network.reservationOf(c))) {
            affinityChecks++;
        }
        if (rapid) {
            bound(c, offer);
            scheduleNext(c);
            return;
        }
        model.offered(c, c.clientId(), address, now, SimulatedNetwork.OFFER_HOLD.toSeconds());
        offers++;
        double r = random.nextDouble();
        if (r < ABANDONS_OFFER) {
            schedule(c, now + random.nextLong(60, 181), Kind.RETRY);
        } else if (r < ABANDONS_OFFER + TAKES_OTHER_SERVER) {
            // It takes another server's offer: ours is withdrawn (RFC 2131 §4.3.2) and it is served elsewhere.
            DhcpMessage other = c.messages(relayOf(c)).requestSelecting(offer.xid(), SimulatedNetwork.OTHER_SERVER,
                    Ipv4Address.parse("10.0.0.250"));
            expectDrop(send(c, other, true), DropReason.NOT_FOR_US, "REQUEST naming another server");
            model.withdrawOffer(c);
            c.phase = VirtualClient.Phase.INIT;
            schedule(c, c.sessionEnd, Kind.DEPART);
        } else {
            c.phase = VirtualClient.Phase.SELECTING;
            c.offered = address;
            long delay = random.nextDouble() < REQUESTS_LATE
                    ? random.nextLong(SimulatedNetwork.OFFER_HOLD.toSeconds() + 1, 120) : random.nextLong(0, 4);
            schedule(c, now + delay, Kind.SELECT);
        }
    }

    /**
     * A DISCOVER refused by the limits: only at the limited site, never to a client whose own lease
     * still runs (a known client is never limited), and for its lease count only when its circuit
     * does hold that many.
     */
    private void checkLimited(VirtualClient c, DropReason reason, String detail, boolean holdsOwnLease) {
        if (c.site != SimulatedNetwork.LIMITED_SITE || holdsOwnLease || network.reservationOf(c) != null) {
            throw new InvariantViolation("DISCOVER refused by a limit (" + reason + ": " + detail + ") at site " + c.site
                    + (holdsOwnLease ? " while its own lease runs" : ""));
        }
        int onCircuit = model.leasesOnCircuit(c.site, c.circuit());
        if (reason == DropReason.LEASE_LIMIT && onCircuit < SimulatedNetwork.LEASES_PER_CIRCUIT) {
            throw new InvariantViolation("DISCOVER refused as over the lease limit, but circuit " + c.circuit()
                    + " holds only " + onCircuit + " leases (" + detail + ")");
        }
        limited++;
    }

    /** What the next OFFER to {@code c} must be: its reservation, or its old address when that is free; else null. */
    private Ipv4Address expectedOffer(VirtualClient c) {
        Ipv4Address reserved = network.reservationOf(c);
        if (reserved != null) {
            return reserved;
        }
        if (!c.returning || c.remembered == null || model.liveOffer(c, now) != null) {
            return null;
        }
        return ownAndFree(c, c.remembered) ? c.remembered : null;
    }

    /**
     * Whether {@code address} may go straight back to {@code c}: its stored record names {@code c}
     * (nobody had it since), is not a declined one, and the address is still a dynamic one that no
     * live offer to another client holds.
     */
    private boolean ownAndFree(VirtualClient c, Ipv4Address address) {
        Optional<Lease> stored = store.get(address);
        if (stored.isEmpty() || !stored.get().clientId().equals(c.clientId()) || stored.get().state() == LeaseState.DECLINED) {
            return false;
        }
        int offeredTo = model.offeredTo(address, now);
        return network.inPool(address, variant) && network.reservedFor(address) < 0
                && (offeredTo < 0 || offeredTo == c.index);
    }

    private void select(VirtualClient c) {
        Ipv4Address address = c.offered;
        boolean live = address.equals(model.liveOffer(c, now));
        DhcpMessage request = c.messages(relayOf(c)).requestSelecting(c.newXid(), SimulatedNetwork.SERVER, address);
        Decision d = send(c, request, true);
        if (!live && d instanceof Decision.Drop(DropReason reason, String detail) && LIMITS.contains(reason)) {
            // Its offer lapsed: a REQUEST for a free address without one is a new client's, and limited.
            checkLimited(c, reason, detail, false);
            c.unbind();
            schedule(c, now + random.nextLong(60, 301), Kind.RETRY);
            return;
        }
        DhcpMessage reply = expectReply(d, "REQUEST for an offer");
        if (isType(reply, MessageType.NAK)) {
            if (live) {
                throw new InvariantViolation("REQUEST for its live offer of " + address + " got a NAK");
            }
            naks++;
            c.unbind();
            schedule(c, now + random.nextLong(1, 6), Kind.RETRY);
            return;
        }
        expectType(reply, MessageType.ACK, "REQUEST for an offer");
        if (!reply.yiaddr().equals(address)) {
            throw new InvariantViolation("REQUEST for " + address + " acknowledged " + reply.yiaddr());
        }
        bound(c, reply);
        if (network.reservationOf(c) == null && random.nextDouble() < DECLINES) {
            decline(c);
        } else {
            scheduleNext(c);
        }
    }

    private void decline(VirtualClient c) {
        Ipv4Address address = c.address;
        DhcpMessage m = c.messages(relayOf(c)).decline(c.newXid(), address, SimulatedNetwork.SERVER);
        expectDrop(send(c, m, true), DropReason.NO_REPLY_EXPECTED, "DECLINE");
        model.declined(c, address, now, SimulatedNetwork.DECLINE_PROBATION.toSeconds());
        declines++;
        c.unbind();
        c.remembered = null; // a declined address is not its own to come back to
        schedule(c, now + 10, Kind.RETRY); // RFC 2131 §3.1: wait at least ten seconds
    }

    private void renew(VirtualClient c, boolean rebinding) {
        if (!rebinding && random.nextDouble() < LOSES_RENEWAL) {
            schedule(c, Math.min(c.rebindAt, c.sessionEnd), c.rebindAt < c.sessionEnd ? Kind.REBIND : Kind.DEPART);
            return;
        }
        Ipv4Address address = c.address;
        boolean mustAck = mayKeep(c, address);
        ClientMessages messages = c.messages(rebinding ? relayOf(c) : ClientMessages.RelayFields.NONE);
        Decision d = send(c, messages.requestRenew(c.newXid(), address), rebinding);
        String what = (rebinding ? "REBINDING" : "RENEWING") + " REQUEST for " + address;
        if (d instanceof Decision.Respond(DhcpMessage reply) && isType(reply, MessageType.ACK)) {
            if (!reply.yiaddr().equals(address)) {
                throw new InvariantViolation(what + " acknowledged " + reply.yiaddr());
            }
            bound(c, reply);
            scheduleNext(c);
            return;
        }
        if (mustAck) {
            throw new InvariantViolation(what + ", a running lease in the pools, got " + d);
        }
        if (d instanceof Decision.Respond(DhcpMessage reply)) {
            expectType(reply, MessageType.NAK, what);
            naks++;
            c.unbind();
            discover(c);
        } else if (!rebinding) {
            schedule(c, Math.min(c.rebindAt, c.sessionEnd), c.rebindAt < c.sessionEnd ? Kind.REBIND : Kind.DEPART);
        } else {
            schedule(c, Math.min(c.expiresAt, c.sessionEnd), c.expiresAt < c.sessionEnd ? Kind.EXPIRE : Kind.DEPART);
        }
    }

    /** A client that still holds {@code address} and may keep it: renewals, rebinds and reboots must be acknowledged. */
    private boolean mayKeep(VirtualClient c, Ipv4Address address) {
        return model.holds(c, address, now) && (address.equals(network.reservationOf(c)) || network.inPool(address, variant));
    }

    private void reboot(VirtualClient c) {
        c.rebootAt = Long.MAX_VALUE;
        initReboot(c, c.address);
    }

    /** INIT-REBOOT for {@code address} (RFC 2131 §4.3.2): acknowledged when the client still holds it, or it is its own and free. */
    private void initReboot(VirtualClient c, Ipv4Address address) {
        boolean reserved = address.equals(network.reservationOf(c));
        boolean mustAck = mayKeep(c, address) || reserved
                || (!model.holds(c, address, now) && model.holderOf(address, now) < 0 && ownAndFree(c, address));
        DhcpMessage request = c.messages(relayOf(c)).requestInitReboot(c.newXid(), address);
        Decision d = send(c, request, true);
        if (d instanceof Decision.Respond(DhcpMessage reply) && isType(reply, MessageType.ACK)) {
            if (!reply.yiaddr().equals(address)) {
                throw new InvariantViolation("INIT-REBOOT for " + address + " acknowledged " + reply.yiaddr());
            }
            if (c.returning && !reserved && !model.holds(c, address, now)) {
                affinityChecks++;
            }
            bound(c, reply);
            scheduleNext(c);
            return;
        }
        if (mustAck) {
            throw new InvariantViolation("INIT-REBOOT for " + address + ", its own and free, got " + d);
        }
        if (d instanceof Decision.Respond(DhcpMessage reply)) {
            expectType(reply, MessageType.NAK, "INIT-REBOOT");
            naks++;
        }
        c.unbind();
        discover(c);
    }

    private void depart(VirtualClient c) {
        if (c.phase == VirtualClient.Phase.BOUND && random.nextDouble() < RELEASES_ON_DEPARTURE) {
            Ipv4Address address = c.address;
            boolean held = model.holds(c, address, now);
            DhcpMessage m = c.messages(ClientMessages.RelayFields.NONE).release(c.newXid(), address, SimulatedNetwork.SERVER);
            expectDrop(send(c, m, false), DropReason.NO_REPLY_EXPECTED, "RELEASE");
            if (held) {
                model.released(c, address);
                releases++;
            }
        }
        c.unbind();
        c.phase = VirtualClient.Phase.AWAY;
        c.generation++;
        if (random.nextDouble() < RETURNS) {
            long back = now + clamp(exponential(MEAN_AWAY), 300, 7 * 86_400);
            if (back < end) {
                c.returning = true;
                schedule(c, back, Kind.ARRIVE);
            }
        }
    }

    /** Takes the lease {@code ack} grants, checks it against the model, and sets the client's timers (T1 with ±5 % jitter). */
    private void bound(VirtualClient c, DhcpMessage ack) {
        Binding b = Binding.from(ack, clock.instant());
        model.acknowledged(c, c.clientId(), ack.yiaddr(), now, b.leaseTime().toSeconds());
        acks++;
        long t1 = b.renewAfter().toSeconds();
        long jitter = t1 / 20;
        long renewAfter = Math.max(1, t1 + (jitter > 0 ? random.nextLong(-jitter, jitter + 1) : 0));
        c.bind(ack.yiaddr(), now, Math.min(renewAfter, b.rebindAfter().toSeconds()), b.rebindAfter().toSeconds(),
                b.leaseTime().toSeconds());
    }

    /** The bound client's next step: renewal at T1, a reboot, or the end of its session, whichever comes first. */
    private void scheduleNext(VirtualClient c) {
        long next = Math.min(c.renewAt, Math.min(c.rebootAt, c.sessionEnd));
        Kind kind = next == c.sessionEnd ? Kind.DEPART : next == c.rebootAt ? Kind.REBOOT : Kind.RENEW;
        schedule(c, Math.max(next, now + 1), kind);
    }

    // ---- the server, the reclaimer, the audits ----

    private Decision send(VirtualClient c, DhcpMessage request, boolean broadcast) {
        // A relayed client's broadcasts come through its relay, its unicasts straight from it:
        // either way by plain UDP to our address. A direct client's arrive on the LAN's interface.
        RequestContext ctx = network.site(c.site).relayed()
                ? RequestContext.relayed(SimulatedNetwork.SERVER)
                : new RequestContext(SimulatedNetwork.SERVER, SimulatedNetwork.INTERFACE, List.of(), broadcast);
        requests++;
        Decision d = engine.handle(ctx, request).join();
        long summary = d instanceof Decision.Respond(DhcpMessage reply)
                ? reply.messageType().map(MessageType::code).orElse(0) * 0x1_0000_0000L + (reply.yiaddr().bits() & 0xFFFFFFFFL)
                : -((Decision.Drop) d).reason().ordinal();
        trace = (trace * 0x9E3779B97F4A7C15L) ^ (summary + c.index);
        return d;
    }

    private ClientMessages.RelayFields relayOf(VirtualClient c) {
        SimulatedNetwork.Site site = network.site(c.site);
        return site.relayed() ? new ClientMessages.RelayFields(site.relay(), c.circuitId(), false) : ClientMessages.RelayFields.NONE;
    }

    private void reclaimAndAudit(boolean audit) {
        for (int round = 0; round < 100_000; round++) {
            int n = engine.reclaimExpired(RECLAIM_BATCH);
            reclaimed += n;
            if (n < RECLAIM_BATCH) {
                break;
            }
        }
        model.afterReclaim(now);
        if (audit) {
            model.audit(now, variant, engine);
        }
    }

    // ---- helpers ----

    private void schedule(VirtualClient c, long at, Kind kind) {
        c.generation++;
        events.add(new Event(at, sequence++, c.index, c.generation, kind));
    }

    /** A start time in the run, three times likelier in the afternoon than at night. */
    private long arrivalTime() {
        while (true) {
            long t = random.nextLong(0, Math.max(1, end - 600));
            double hour = (t % 86_400) / 3600.0;
            double weight = 0.3 + 0.7 * Math.max(0, Math.sin(Math.PI * (hour - 6) / 14));
            if (random.nextDouble() < weight) {
                return t;
            }
        }
    }

    private long exponential(long mean) {
        return Math.round(-Math.log(1 - random.nextDouble()) * mean);
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    private static boolean isType(DhcpMessage m, MessageType type) {
        return m.messageType().filter(t -> t == type).isPresent();
    }

    private static void expectType(DhcpMessage m, MessageType type, String what) {
        if (!isType(m, type)) {
            throw new InvariantViolation(what + " answered " + m.messageType().orElse(null) + " instead of " + type + ": " + m);
        }
    }

    private static DhcpMessage expectReply(Decision d, String what) {
        if (d instanceof Decision.Respond(DhcpMessage reply)) {
            return reply;
        }
        throw new InvariantViolation(what + " unanswered: " + d);
    }

    private static void expectDrop(Decision d, DropReason reason, String what) {
        if (!(d instanceof Decision.Drop(DropReason r, String detail)) || r != reason) {
            throw new InvariantViolation(what + " should get no reply (" + reason + "), got " + d);
        }
    }
}
