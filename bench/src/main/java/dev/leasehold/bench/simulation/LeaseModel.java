package dev.leasehold.bench.simulation;

import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What the server has promised, as its clients saw it, and the rules it must keep, checked at
 * every reply and at every reclaimer run, plus a whole-state audit now and then:
 * <ul>
 * <li>never one address for two clients: no OFFER or ACK of an address another client holds a
 *     running lease of, nor of one on decline probation, nor of another client's reservation
 *     (RFC 2131 §4.3.1, §4.3.3);</li>
 * <li>every ACK is in the store: the stored record names the client, is ACTIVE and ends when the
 *     ACK said, at once and at every audit (DESIGN §3, "durable before acknowledged");</li>
 * <li>every expired lease and every ended probation is reclaimed by the first reclaimer run after
 *     its end, so within the reclaim interval;</li>
 * <li>pool counts match the store: the engine's free addresses per subnet are exactly the pool
 *     addresses that no stored lease holds, no reservation keeps and no live offer holds;</li>
 * <li>offers never outlive their hold: once the reclaimer has purged, the engine holds exactly
 *     the offers whose hold is still running.</li>
 * </ul>
 * (The affinity rule, "a returning client gets its old address when it is free", needs the
 * client's history and is checked by {@link EngineSimulation}.)
 *
 * <p>Owned by the simulation thread.
 */
final class LeaseModel {

    /** A running lease as the ACK announced it. */
    private record Holding(int client, long until) {}

    /** An offer on hold. */
    private record Offer(Ipv4Address address, long until) {}

    /** When to check that a lease or a probation was reclaimed. */
    private record Due(long at, Ipv4Address address, int client, boolean probation) {}

    private final LeaseStore store;
    /** The epoch second of virtual time 0: the model counts seconds from there, the store in epoch seconds. */
    private final long epoch;
    private final SimulatedNetwork network;
    private final IntFunction<VirtualClient> clients;
    private final Map<Ipv4Address, Holding> holders = new HashMap<>();
    private final Map<Integer, Ipv4Address> holdingOf = new HashMap<>();
    /** Running leases per site and circuit ({@link #circuitKey}), for the circuit limit. */
    private final Map<Long, Integer> perCircuit = new HashMap<>();
    private final Map<Integer, Offer> offers = new HashMap<>();
    private final Map<Ipv4Address, Integer> offeredTo = new HashMap<>();
    private final Map<Ipv4Address, Long> probations = new HashMap<>();
    private final PriorityQueue<Due> dues = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private long checks;
    private int peakHolders;

    LeaseModel(LeaseStore store, long epoch, SimulatedNetwork network, IntFunction<VirtualClient> clients) {
        this.store = store;
        this.epoch = epoch;
        this.network = network;
        this.clients = clients;
    }

    long checks() {
        return checks;
    }

    int peakHolders() {
        return peakHolders;
    }

    private void check(boolean holds, String what) {
        checks++;
        if (!holds) {
            throw new InvariantViolation(what);
        }
    }

    // ---- what the clients saw ----

    /** The client whose running lease holds {@code address} at {@code now}, or -1. */
    int holderOf(Ipv4Address address, long now) {
        Holding h = holders.get(address);
        return h != null && now < h.until ? h.client : -1;
    }

    /** Whether {@code client} holds a running lease of {@code address}. */
    boolean holds(VirtualClient client, Ipv4Address address, long now) {
        return holderOf(address, now) == client.index;
    }

    /**
     * Leases at {@code site} that the server still counts for {@code circuit}: acknowledged to a
     * client on that circuit and not yet released, declined, replaced or reclaimed.
     */
    int leasesOnCircuit(int site, int circuit) {
        return perCircuit.getOrDefault(circuitKey(site, circuit), 0);
    }

    private void hold(Ipv4Address address, Holding h) {
        Holding before = holders.put(address, h);
        if (before != null) {
            count(before, -1);
        }
        count(h, 1);
    }

    private void release(Ipv4Address address) {
        Holding before = holders.remove(address);
        if (before != null) {
            count(before, -1);
        }
    }

    private void count(Holding h, int delta) {
        VirtualClient c = clients.apply(h.client);
        perCircuit.merge(circuitKey(c.site, c.circuit()), delta, (a, b) -> a + b == 0 ? null : a + b);
    }

    private static long circuitKey(int site, int circuit) {
        return (long) site << 32 | circuit;
    }

    /** The client that a live offer of {@code address} is held for, or -1. */
    int offeredTo(Ipv4Address address, long now) {
        Integer client = offeredTo.get(address);
        if (client == null) {
            return -1;
        }
        Offer o = offers.get(client);
        return o != null && o.address.equals(address) && now < o.until ? client : -1;
    }

    /** The address of the client's live offer, or null. */
    Ipv4Address liveOffer(VirtualClient client, long now) {
        Offer o = offers.get(client.index);
        return o != null && now < o.until ? o.address : null;
    }

    boolean onProbation(Ipv4Address address, long now) {
        Long until = probations.get(address);
        return until != null && now < until;
    }

    /** An OFFER of {@code address} to {@code client}: nobody else may hold it, by lease, probation, offer or reservation. */
    void offered(VirtualClient client, ClientId clientId, Ipv4Address address, long now, long holdSeconds) {
        int holder = holderOf(address, now);
        check(holder < 0 || holder == client.index,
                address + " offered to client " + client.index + " while client " + holder + " holds a running lease of it");
        check(!onProbation(address, now), address + " offered to client " + client.index + " during its decline probation");
        int other = offeredTo(address, now);
        check(other < 0 || other == client.index,
                address + " offered to client " + client.index + " while its offer to client " + other + " is on hold");
        int reservedFor = network.reservedFor(address);
        check(reservedFor < 0 || reservedFor == client.index,
                address + " offered to client " + client.index + " but reserved for client " + reservedFor);
        Offer previous = offers.get(client.index);
        if (previous != null && now < previous.until && previous.address.equals(address)) {
            return; // a repeated DISCOVER keeps its offer and its hold as they are
        }
        withdrawOffer(client);
        // The client's own lease already holds the address: the engine books no offer for it.
        boolean ownLease = store.get(address)
                .filter(l -> l.state() == LeaseState.ACTIVE && l.clientId().equals(clientId)).isPresent();
        if (!ownLease || reservedFor == client.index) {
            offers.put(client.index, new Offer(address, now + holdSeconds));
            offeredTo.put(address, client.index);
        }
    }

    /** The client's offer is gone: taken by its ACK, or withdrawn by its RELEASE or its choice of another server. */
    void withdrawOffer(VirtualClient client) {
        Offer o = offers.remove(client.index);
        if (o != null) {
            offeredTo.remove(o.address, client.index);
        }
    }

    /**
     * An ACK of {@code address} to {@code client} for {@code leaseSeconds}: nobody else may hold
     * it, and the store must already say so (the ACK exists only once the lease is written).
     */
    void acknowledged(VirtualClient client, ClientId clientId, Ipv4Address address, long now, long leaseSeconds) {
        int holder = holderOf(address, now);
        check(holder < 0 || holder == client.index,
                address + " acknowledged to client " + client.index + " while client " + holder + " holds a running lease of it");
        check(!onProbation(address, now), address + " acknowledged to client " + client.index + " during its decline probation");
        int reservedFor = network.reservedFor(address);
        check(reservedFor < 0 || reservedFor == client.index,
                address + " acknowledged to client " + client.index + " but reserved for client " + reservedFor);
        long until = now + leaseSeconds;
        Optional<Lease> stored = store.get(address);
        check(stored.isPresent() && stored.get().clientId().equals(clientId) && stored.get().state() == LeaseState.ACTIVE
                        && stored.get().expiresAt().getEpochSecond() - epoch == until,
                "the ACK of " + address + " to client " + client.index + " until " + Instant.ofEpochSecond(epoch + until)
                        + " is not in the store, which holds " + stored.orElse(null));
        withdrawOffer(client);
        // One lease per client and subnet: the engine ends the one it held before.
        Ipv4Address before = holdingOf.put(client.index, address);
        if (before != null && !before.equals(address)) {
            Holding old = holders.get(before);
            if (old != null && old.client == client.index) {
                release(before);
            }
        }
        hold(address, new Holding(client.index, until));
        dues.add(new Due(until, address, client.index, false));
        peakHolders = Math.max(peakHolders, holders.size());
    }

    /** The client's RELEASE of {@code address} was accepted: the store must say RELEASED. */
    void released(VirtualClient client, Ipv4Address address) {
        Optional<Lease> stored = store.get(address);
        check(stored.isPresent() && stored.get().state() == LeaseState.RELEASED,
                "after client " + client.index + " released " + address + " the store holds " + stored.orElse(null));
        endHolding(client, address);
        withdrawOffer(client);
    }

    /** The client's DECLINE of {@code address}: the store must say DECLINED until the probation ends. */
    void declined(VirtualClient client, Ipv4Address address, long now, long probationSeconds) {
        Optional<Lease> stored = store.get(address);
        check(stored.isPresent() && stored.get().state() == LeaseState.DECLINED
                        && stored.get().expiresAt().getEpochSecond() - epoch == now + probationSeconds,
                "after client " + client.index + " declined " + address + " the store holds " + stored.orElse(null));
        endHolding(client, address);
        probations.put(address, now + probationSeconds);
        dues.add(new Due(now + probationSeconds, address, client.index, true));
    }

    private void endHolding(VirtualClient client, Ipv4Address address) {
        Holding h = holders.get(address);
        if (h != null && h.client == client.index) {
            release(address);
        }
        holdingOf.remove(client.index, address);
    }

    // ---- the reclaimer ----

    /**
     * Runs after the reclaimer: every lease and probation that ended by {@code now} must be
     * reclaimed (the lease EXPIRED, the probation's record gone); lapsed offers are forgotten,
     * as the engine purged them.
     */
    void afterReclaim(long now) {
        while (!dues.isEmpty() && dues.peek().at <= now) {
            Due due = dues.poll();
            if (due.probation) {
                Long until = probations.get(due.address);
                if (until != null && until == due.at) {
                    Optional<Lease> stored = store.get(due.address);
                    check(stored.isEmpty() || stored.get().state() != LeaseState.DECLINED,
                            "the probation of " + due.address + " ended at " + Instant.ofEpochSecond(epoch + due.at)
                                    + " but the reclaimer left " + stored.orElse(null));
                    probations.remove(due.address);
                }
                continue;
            }
            Holding h = holders.get(due.address);
            if (h == null || h.client != due.client || h.until != due.at) {
                continue; // renewed, released or declined since
            }
            Optional<Lease> stored = store.get(due.address);
            check(stored.isPresent() && stored.get().state() == LeaseState.EXPIRED,
                    "the lease of " + due.address + " to client " + due.client + " expired at " + Instant.ofEpochSecond(epoch + due.at)
                            + " but after the reclaimer ran the store holds " + stored.orElse(null));
            release(due.address);
            holdingOf.remove(due.client, due.address);
        }
        Iterator<Map.Entry<Integer, Offer>> it = offers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Offer> e = it.next();
            if (e.getValue().until <= now) {
                offeredTo.remove(e.getValue().address, e.getKey());
                it.remove();
            }
        }
    }

    /**
     * After a reload to {@code variant}: the engine carries over an offer only where its address is
     * still a dynamic address of the subnet not held by a stored lease, or a reservation.
     */
    void reloaded(int variant, long now) {
        Iterator<Map.Entry<Integer, Offer>> it = offers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Offer> e = it.next();
            Ipv4Address a = e.getValue().address;
            boolean reserved = network.reservedFor(a) >= 0;
            boolean kept = now < e.getValue().until
                    && (reserved || network.inPool(a, variant) && store.get(a).map(l -> !l.holdsAddressAt(Instant.ofEpochSecond(epoch + now))).orElse(true));
            if (!kept) {
                offeredTo.remove(a, e.getKey());
                it.remove();
            }
        }
    }

    // ---- the whole-state audit ----

    /**
     * Compares everything at once, right after a reclaimer run: the store against the running
     * leases the clients were told of (both ways), the engine's free counts against the store,
     * the reservations and the live offers, and the engine's offers against the live ones.
     */
    void audit(long now, int variant, DhcpEngine engine) {
        int liveOffers = offers.size(); // afterReclaim left only live ones
        check(engine.outstandingOffers() == liveOffers,
                "the engine holds " + engine.outstandingOffers() + " offers, but " + liveOffers + " are on hold");
        Set<Ipv4Address> used = new HashSet<>();
        long[] active = new long[1];
        store.forEach(lease -> {
            boolean held = lease.state() == LeaseState.ACTIVE || lease.state() == LeaseState.DECLINED;
            if (held) {
                check(lease.expiresAt().getEpochSecond() - epoch > now,
                        "after the reclaimer ran the store still holds an ended " + lease);
                if (network.inPool(lease.address(), variant)) {
                    used.add(lease.address());
                }
            }
            if (lease.state() == LeaseState.ACTIVE) {
                active[0]++;
                Holding h = holders.get(lease.address());
                check(h != null && clients.apply(h.client).clientId().equals(lease.clientId())
                                && h.until == lease.expiresAt().getEpochSecond() - epoch,
                        "the store holds " + lease + " which no ACK announced (the clients know of "
                                + (h == null ? "no lease there" : "client " + h.client + " until " + Instant.ofEpochSecond(epoch + h.until)) + ")");
            }
        });
        check(active[0] == holders.size(),
                "the store holds " + active[0] + " active leases but " + holders.size() + " were acknowledged and are running");
        for (Ipv4Address reserved : network.reservedAddresses()) {
            if (network.inPool(reserved, variant)) {
                used.add(reserved);
            }
        }
        for (Offer o : offers.values()) {
            if (network.inPool(o.address, variant)) {
                used.add(o.address);
            }
        }
        long[] usedPerSite = new long[network.sites().size()];
        for (Ipv4Address a : used) {
            usedPerSite[network.siteOf(a)]++;
        }
        for (DhcpEngine.SubnetUsage u : engine.usage()) {
            int site = u.subnetId() - 1;
            long size = network.pools(site, variant).stream().mapToLong(r -> r.last().toLong() - r.first().toLong() + 1).sum();
            check(u.totalAddresses() == size, "subnet " + u.subnetId() + " has " + u.totalAddresses() + " pool addresses, configured " + size);
            check(u.totalAddresses() - u.freeAddresses() == usedPerSite[site],
                    "subnet " + u.subnetId() + ": the engine counts " + (u.totalAddresses() - u.freeAddresses())
                            + " pool addresses in use, the store, reservations and live offers " + usedPerSite[site]);
        }
    }
}
