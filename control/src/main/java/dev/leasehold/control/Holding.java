package dev.leasehold.control;

import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A span during which one client held one address, rebuilt from the history: it begins at an
 * ACK (or an operator storing an active lease), is extended by every later ACK of the same
 * client, and ends at the lease's expiry or earlier at a release, decline, expiry or deletion.
 *
 * @param until the end; for a holding still running, the expiry of its last ACK
 * @param endedBy the event that ended it early, or {@code "lease-time"} when it simply ran out
 *        (or will, for a running one)
 */
record Holding(Ipv4Address address, String clientId, String mac, String hostname, int subnetId, Instant from,
               Instant until, String endedBy) {

    boolean covers(Instant at) {
        return !at.isBefore(from) && at.isBefore(until);
    }

    /** Folds events (any addresses, sorted by time) into holdings, ordered by start. */
    static List<Holding> fold(List<HistoryEvent> events) {
        Map<Ipv4Address, Holding> open = new HashMap<>();
        List<Holding> done = new ArrayList<>();
        for (HistoryEvent e : events) {
            Holding h = open.get(e.address());
            if (h != null && !e.time().isBefore(h.until())) {
                done.add(h); // ran out before this event
                open.remove(e.address());
                h = null;
            }
            if (e.startsHolding()) {
                if (h != null && h.clientId().equals(e.clientId())) {
                    open.put(e.address(), new Holding(h.address(), h.clientId(), e.mac(),
                            e.hostname().isEmpty() ? h.hostname() : e.hostname(), e.subnetId(), h.from(),
                            e.expiresAt(), "lease-time"));
                } else {
                    if (h != null) {
                        done.add(h.endedAt(e.time(), "taken-over"));
                    }
                    open.put(e.address(), new Holding(e.address(), e.clientId(), e.mac(), e.hostname(), e.subnetId(),
                            e.time(), e.expiresAt(), "lease-time"));
                }
            } else if (e.endsHolding() && h != null) {
                done.add(h.endedAt(e.endOfHolding(), e.type()));
                open.remove(e.address());
            }
        }
        done.addAll(open.values());
        done.sort((a, b) -> a.from().compareTo(b.from()));
        return done;
    }

    private Holding endedAt(Instant end, String by) {
        Instant u = end.isBefore(until) ? end : until;
        return new Holding(address, clientId, mac, hostname, subnetId, from, u.isBefore(from) ? from : u, by);
    }
}
