package dev.leasehold.engine;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Outstanding offers: an address held for a client between DHCPOFFER and its DHCPREQUEST,
 * in memory only (DESIGN §3, "an offer is not a commit"). Guarded by the engine's lock.
 */
final class OfferBook {

    record Offer(ClientId clientId, Ipv4Address address, int subnetId, Instant expiresAt) {}

    private final Map<ClientId, Offer> byClient = new HashMap<>();
    /** Offers in the order they were made; with one hold time that is also expiry order. */
    private final ArrayDeque<Offer> byAge = new ArrayDeque<>();

    Offer find(ClientId clientId, Instant now) {
        Offer o = byClient.get(clientId);
        return o != null && now.isBefore(o.expiresAt()) ? o : null;
    }

    void put(Offer offer) {
        byClient.put(offer.clientId(), offer);
        byAge.addLast(offer);
    }

    /** Removes the client's offer, if any, and returns it. */
    Offer remove(ClientId clientId) {
        return byClient.remove(clientId);
    }

    /** Every offer still on hold at {@code now}. */
    java.util.List<Offer> live(Instant now) {
        java.util.List<Offer> out = new java.util.ArrayList<>(byClient.size());
        for (Offer o : byClient.values()) {
            if (now.isBefore(o.expiresAt())) {
                out.add(o);
            }
        }
        return out;
    }

    int size() {
        return byClient.size();
    }

    /** Drops offers that lapsed, handing each to {@code lapsed} so its address goes back to the pool. */
    void purge(Instant now, Consumer<Offer> lapsed) {
        while (!byAge.isEmpty() && !now.isBefore(byAge.peekFirst().expiresAt())) {
            Offer old = byAge.pollFirst();
            // The queue keeps superseded offers too; only the current one for the client counts.
            if (byClient.get(old.clientId()) == old) {
                byClient.remove(old.clientId());
                lapsed.accept(old);
            }
        }
    }
}
