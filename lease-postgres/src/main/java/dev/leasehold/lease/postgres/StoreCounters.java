package dev.leasehold.lease.postgres;

import dev.leasehold.lease.StoreStatistic;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the PostgreSQL store counts for /metrics: group commits, stored, conflicting and failed
 * puts, and the change feed's traffic and lag. Thread-safe; written by the writer and the feed
 * threads, read by the scraper.
 */
final class StoreCounters {

    /** Every figure's name starts so, as the journal's start with {@code leasehold_journal_}. */
    static final String PREFIX = "leasehold_postgres_";

    private final LongAdder transactions = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final AtomicLong lastGroupSize = new AtomicLong();
    private final LongAdder stored = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder externalChanges = new LongAdder();
    private final LongAdder resyncs = new LongAdder();
    private final AtomicLong lastLagMicros = new AtomicLong();
    private final AtomicLong maxLagMicros = new AtomicLong();
    private final LongAdder reclaimClaims = new LongAdder();

    void committed(int groupSize) {
        transactions.increment();
        writes.add(groupSize);
        lastGroupSize.set(groupSize);
    }

    void stored() {
        stored.increment();
    }

    void conflict() {
        conflicts.increment();
    }

    void failed() {
        failed.increment();
    }

    /** Another writer's change reached us {@code lagMicros} after its trigger ran. */
    void externalChange(long lagMicros) {
        externalChanges.increment();
        long lag = Math.max(0, lagMicros);
        lastLagMicros.set(lag);
        maxLagMicros.accumulateAndGet(lag, Math::max);
    }

    void resynced() {
        resyncs.increment();
    }

    void claimed(int count) {
        reclaimClaims.add(count);
    }

    long conflicts() {
        return conflicts.sum();
    }

    long transactions() {
        return transactions.sum();
    }

    List<StoreStatistic> statistics(boolean databaseUp, boolean feedConnected) {
        return List.of(
                StoreStatistic.gauge(PREFIX + "database_up", "1 while the lease database answers the store's writes and its change feed.",
                        databaseUp ? 1 : 0),
                StoreStatistic.counter(PREFIX + "transactions_total", "Group commits: one transaction and one WAL flush each.",
                        transactions.sum()),
                StoreStatistic.counter(PREFIX + "transaction_writes_total", "Puts and deletes committed in those transactions.",
                        writes.sum()),
                StoreStatistic.gauge(PREFIX + "last_transaction_writes", "Writes in the last group commit.", lastGroupSize.get()),
                StoreStatistic.counter(PREFIX + "puts_stored_total", "Puts the database stored.", stored.sum()),
                StoreStatistic.counter(PREFIX + "conflicts_total",
                        "Puts the database refused because another client holds the address (often another server's"
                                + " client: the request is NAKed).", conflicts.sum()),
                StoreStatistic.counter(PREFIX + "puts_failed_total", "Puts not stored because the database failed or was unreachable.",
                        failed.sum()),
                StoreStatistic.gauge(PREFIX + "change_feed_connected", "1 while the store listens for other servers' changes.",
                        feedConnected ? 1 : 0),
                StoreStatistic.counter(PREFIX + "change_feed_changes_total", "Changes by other writers applied to this server's copy.",
                        externalChanges.sum()),
                StoreStatistic.gauge(PREFIX + "change_feed_lag_seconds",
                        "From another writer's change to this server applying it, for the last change.",
                        lastLagMicros.get() / 1e6),
                StoreStatistic.gauge(PREFIX + "change_feed_lag_max_seconds", "The longest such delay since start.",
                        maxLagMicros.get() / 1e6),
                StoreStatistic.counter(PREFIX + "change_feed_resyncs_total",
                        "Full re-reads of the lease table after the feed reconnected (changes may have been missed).",
                        resyncs.sum()),
                StoreStatistic.counter(PREFIX + "reclaim_claims_total", "Expired leases this server claimed for reclaiming.",
                        reclaimClaims.sum()));
    }
}
