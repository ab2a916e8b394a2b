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

    record Offer(ClientId clientId, Ipv4Address address, int subnetId, Instant expiresAt) {}

    /** In the order offers were made; with one hold time, that is also expiry order. */
    private final LinkedHashMap<ClientId, Offer> byClient = new LinkedHashMap<>();

    Offer find(ClientId clientId, Instant now) {
        Offer o = byClient.get(clientId);
        return o != null && now.isBefore(o.expiresAt()) ? o : null;
    }

    void put(Offer offer) {
        // Remove first: re-putting a key would keep its old place in the order.
        byClient.remove(offer.clientId());
        byClient.put(offer.clientId(), offer);
    }

    /** Removes the client's offer, if any, and returns it. */
    Offer remove(ClientId clientId) {
        return byClient.remove(clientId);
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
            lapsed.accept(old);
        }
    }
}
