package dev.leasehold.engine;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Outstanding offers: an address held for a client between DHCPOFFER and its DHCPREQUEST,
 * in memory only (DESIGN §3, "an offer is not a commit"). Guarded by the engine's lock.
 *
 * <p>One insertion-ordered map serves both lookups and expiry: an offer taken by its REQUEST
 * leaves at once. (A separate age queue would keep every offer reachable for the whole hold
 * time, so that under load each one survived young collections and was copied into the old
 * generation: measured as most of the young-pause time.)
 */
final class OfferBook {

    /**
     * @param newClient whether the client was unknown when offered (no lease, reservation or
     *        earlier offer): such offers count against {@code limits.unknown-offer-share}
     * @param limitKeys the {@code limits.max-leases} keys (circuit id, remote id, MAC prefix) an
     *        offer to a new client counts under until it is taken, withdrawn or lapses: a flood
     *        from one circuit sends its DISCOVERs before any REQUEST, and counted by leases
     *        alone every one of them would be offered and then acknowledged
     */
    record Offer(ClientId clientId, Ipv4Address address, int subnetId, Instant expiresAt, boolean newClient,
                 List<String> limitKeys) {
        Offer {
            limitKeys = List.copyOf(limitKeys);
        }

        Offer(ClientId clientId, Ipv4Address address, int subnetId, Instant expiresAt) {
            this(clientId, address, subnetId, expiresAt, false, List.of());
        }
    }

    /** In the order offers were made; with one hold time, that is also expiry order. */
    private final LinkedHashMap<ClientId, Offer> byClient = new LinkedHashMap<>();
    /** Outstanding offers to new clients, per subnet id. */
    private final java.util.Map<Integer, Integer> newClientOffers = new java.util.HashMap<>();
    /** Outstanding offers to new clients, per {@code max-leases} key. */
    private final java.util.Map<String, Integer> offersByLimitKey = new java.util.HashMap<>();

    Offer find(ClientId clientId, Instant now) {
        Offer o = byClient.get(clientId);
        return o != null && now.isBefore(o.expiresAt()) ? o : null;
    }

    void put(Offer offer) {
        // Remove first: re-putting a key would keep its old place in the order.
        forget(byClient.remove(offer.clientId()));
        byClient.put(offer.clientId(), offer);
        if (offer.newClient()) {
            newClientOffers.merge(offer.subnetId(), 1, Integer::sum);
        }
        for (String key : offer.limitKeys()) {
            offersByLimitKey.merge(key, 1, Integer::sum);
        }
    }

    /** Removes the client's offer, if any, and returns it. */
    Offer remove(ClientId clientId) {
        return forget(byClient.remove(clientId));
    }

    /** Offers outstanding to new clients in subnet {@code subnetId} (lapsed ones until purged). */
    int newClientOffers(int subnetId) {
        return newClientOffers.getOrDefault(subnetId, 0);
    }

    /** Outstanding offers counting under the {@code max-leases} key {@code key} (lapsed ones until purged). */
    int offersUnder(String key) {
        return offersByLimitKey.getOrDefault(key, 0);
    }

    private Offer forget(Offer gone) {
        if (gone != null && gone.newClient()) {
            newClientOffers.computeIfPresent(gone.subnetId(), (k, n) -> n > 1 ? n - 1 : null);
        }
        if (gone != null) {
            for (String key : gone.limitKeys()) {
                offersByLimitKey.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
            }
        }
        return gone;
    }

    /** Every offer still on hold at {@code now}. */
    List<Offer> live(Instant now) {
        List<Offer> out = new ArrayList<>(byClient.size());
        for (Offer o : byClient.values()) {
            if (now.isBefore(o.expiresAt())) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Whether {@code address} is on offer to anyone at {@code now}. A walk over the offers: only
     * the change feed of a shared store asks, for addresses another server freed.
     */
    boolean isOffered(Ipv4Address address, Instant now) {
        for (Offer o : byClient.values()) {
            if (o.address().equals(address) && now.isBefore(o.expiresAt())) {
                return true;
            }
        }
        return false;
    }

    /** Outstanding offers by subnet id. */
    java.util.Map<Integer, Integer> countBySubnet() {
        java.util.Map<Integer, Integer> out = new java.util.TreeMap<>();
        for (Offer o : byClient.values()) {
            out.merge(o.subnetId(), 1, Integer::sum);
        }
        return out;
    }

    int size() {
        return byClient.size();
    }

    /**
     * Drops offers that lapsed, oldest first, handing each to {@code lapsed} so its address goes
     * back to the pool. It stops at the first offer still on hold; after a reload that shortened
     * the hold time, an offer carried over may so keep newer ones a little past their end, which
     * {@link #find} already treats as gone.
     */
    void purge(Instant now, Consumer<Offer> lapsed) {
        Iterator<Offer> oldestFirst = byClient.values().iterator();
        while (oldestFirst.hasNext()) {
            Offer old = oldestFirst.next();
            if (now.isBefore(old.expiresAt())) {
                return;
            }
            oldestFirst.remove();
            forget(old);
            lapsed.accept(old);
        }
    }
}
