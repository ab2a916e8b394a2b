package dev.leasehold.ddns;

import dev.leasehold.server.LeaseDns;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The updater's counters for {@code /metrics}; any thread may count, any thread may read. */
final class DdnsMetrics {

    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder registered = new LongAdder();
    private final LongAdder removed = new LongAdder();

    void sent(String direction) {
        sent.computeIfAbsent(direction, k -> new LongAdder()).increment();
    }

    void failed(String reason) {
        failed.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void dropped(String reason) {
        dropped.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void conflict() {
        conflicts.increment();
    }

    void registered() {
        registered.increment();
    }

    void removed() {
        removed.increment();
    }

    long droppedCount(String reason) {
        LongAdder a = dropped.get(reason);
        return a == null ? 0 : a.sum();
    }

    long failedCount(String reason) {
        LongAdder a = failed.get(reason);
        return a == null ? 0 : a.sum();
    }

    void writeTo(LeaseDns.MetricSink sink, LongSupplier queued, LongSupplier pending) {
        sink.family("leasehold_ddns_updates_sent_total", true, "RFC 2136 update messages sent, by direction.");
        for (var e : new TreeMap<>(sent).entrySet()) {
            sink.sample("leasehold_ddns_updates_sent_total", e.getValue().sum(), "direction", e.getKey());
        }
        sink.family("leasehold_ddns_updates_failed_total", true,
                "Update messages that failed (to be retried), by reason: timeout, unreachable, refused, notauth, ...");
        for (var e : new TreeMap<>(failed).entrySet()) {
            sink.sample("leasehold_ddns_updates_failed_total", e.getValue().sum(), "reason", e.getKey());
        }
        sink.family("leasehold_ddns_changes_dropped_total", true,
                "Lease changes not queued, by reason; removals are recovered by the periodic check against the store.");
        for (var e : new TreeMap<>(dropped).entrySet()) {
            sink.sample("leasehold_ddns_changes_dropped_total", e.getValue().sum(), "reason", e.getKey());
        }
        sink.family("leasehold_ddns_conflicts_total", true, "Names not registered because another client holds them (RFC 4703).");
        sink.sample("leasehold_ddns_conflicts_total", conflicts.sum());
        sink.family("leasehold_ddns_registered_total", true, "Registrations completed (A and/or PTR written).");
        sink.sample("leasehold_ddns_registered_total", registered.sum());
        sink.family("leasehold_ddns_removed_total", true, "Registrations removed from DNS.");
        sink.sample("leasehold_ddns_removed_total", removed.sum());
        sink.family("leasehold_ddns_queued", false, "Lease changes waiting in the updater's queue, by reason.");
        sink.sample("leasehold_ddns_queued", queued.getAsLong(), "reason", "new");
        sink.sample("leasehold_ddns_queued", pending.getAsLong(), "reason", "retry");
    }
}
