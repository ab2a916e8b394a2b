package dev.leasehold.control;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lease events counted by type and, for the per-subnet metrics the engine does not keep, by
 * subnet: expiries (reclaimed addresses) and declines.
 */
final class EventCounts {

    private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> reclaimedBySubnet = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> declinesBySubnet = new ConcurrentHashMap<>();

    void count(HistoryEvent e) {
        byType.computeIfAbsent(e.type(), t -> new LongAdder()).increment();
        if (e.type().equals("expire")) {
            reclaimedBySubnet.computeIfAbsent(e.subnetId(), s -> new LongAdder()).increment();
        } else if (e.type().equals("decline")) {
            declinesBySubnet.computeIfAbsent(e.subnetId(), s -> new LongAdder()).increment();
        }
    }

    long ofType(String type) {
        LongAdder a = byType.get(type);
        return a == null ? 0 : a.sum();
    }

    long reclaimed(int subnetId) {
        LongAdder a = reclaimedBySubnet.get(subnetId);
        return a == null ? 0 : a.sum();
    }

    long declines(int subnetId) {
        LongAdder a = declinesBySubnet.get(subnetId);
        return a == null ? 0 : a.sum();
    }

    Map<String, Long> byType() {
        Map<String, Long> out = new TreeMap<>();
        byType.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
