package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link JournalLeaseStore} writes and compacts.
 *
 * @param durability when a put counts as done (DESIGN §3); {@link DurabilityPolicy#BATCH} by default
 * @param compactionMinimumBytes no compaction while the journal is smaller than this
 * @param compactionRatio compact when the journal is more than this many times the size a
 *     journal of only the live leases would have
 * @param maxGroupWrites the most writes one group commit takes, which bounds its buffer
 * @param reserveBytes size of the space reserve file kept beside the journal and released when
 *     the disk fills, so that renewals still get written (0: none). A renewal record is about 70
 *     bytes, so the default 1 MiB covers some 15,000 renewals.
 * @param groupWindow under {@link DurabilityPolicy#BATCH}, how long the writer waits for more
 *     writes after the first of a group, when the group before held four or more (so others are
 *     writing); like PostgreSQL's {@code commit_delay} with {@code commit_siblings}. One force then
 *     covers more leases, for at most this much added latency; a lone put is never held back.
 *     {@link Duration#ZERO} disables it. At most {@value #MAX_GROUP_WINDOW_MILLIS} ms.
 * @param preallocationBytes how far ahead of its last record the writer keeps the journal file
 *     extended with written zeros, so that a group's force does not also have to commit a new
 *     file size (0: never; the journal then grows with each write)
 * @param completions which thread completes a group's futures, and so runs callers' continuations
 */
public record JournalOptions(
        DurabilityPolicy durability, long compactionMinimumBytes, double compactionRatio, int maxGroupWrites,
        long reserveBytes, Duration groupWindow, long preallocationBytes, Completions completions) {

    /** Where the futures of a written group complete, and so where callers' continuations run. */
    public enum Completions {
        /** A new virtual thread per group: continuations may block, even on further puts. The default. */
        VIRTUAL_THREAD,
        /**
         * The writer thread itself, right after the force: one thread hand-off less per group,
         * which under load means one wake-up and one wait for a free core less before a reply
         * leaves. Continuations must be short and must never wait for another put or delete of
         * this store (the writer would wait for itself). The server's are: an engine update
         * under its lock, then an encode and a non-blocking send.
         */
        WRITER_THREAD
    }

    public static final long DEFAULT_COMPACTION_MINIMUM_BYTES = 16L << 20;
    public static final double DEFAULT_COMPACTION_RATIO = 2.0;
    public static final int DEFAULT_MAX_GROUP_WRITES = 8192;
    public static final long DEFAULT_RESERVE_BYTES = 1L << 20;
    public static final Duration DEFAULT_GROUP_WINDOW = Duration.ofMillis(1);
    public static final long DEFAULT_PREALLOCATION_BYTES = 1L << 20;
    /** A longer window would hold every acknowledgement back for longer than any disk takes to force. */
    public static final long MAX_GROUP_WINDOW_MILLIS = 100;

    public JournalOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(groupWindow, "groupWindow");
        Objects.requireNonNull(completions, "completions");
        if (compactionMinimumBytes < 0) {
            throw new IllegalArgumentException("compactionMinimumBytes must be >= 0: " + compactionMinimumBytes);
        }
        if (!(compactionRatio > 1.0)) {
            throw new IllegalArgumentException("compactionRatio must be > 1: " + compactionRatio);
        }
        if (maxGroupWrites < 1) {
            throw new IllegalArgumentException("maxGroupWrites must be >= 1: " + maxGroupWrites);
        }
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("reserveBytes must be >= 0: " + reserveBytes);
        }
        if (groupWindow.isNegative() || groupWindow.compareTo(Duration.ofMillis(MAX_GROUP_WINDOW_MILLIS)) > 0) {
            throw new IllegalArgumentException("groupWindow must be between 0 and " + MAX_GROUP_WINDOW_MILLIS
                    + " ms: " + groupWindow);
        }
        if (preallocationBytes < 0) {
            throw new IllegalArgumentException("preallocationBytes must be >= 0: " + preallocationBytes);
        }
    }

    /**
     * Group commit with a 1 ms window under load, compaction once the journal passes 16 MiB and
     * twice the live set, a 1 MiB reserve, the file kept 1 MiB ahead.
     */
    public static JournalOptions defaults() {
        return of(DurabilityPolicy.BATCH);
    }

    public static JournalOptions of(DurabilityPolicy durability) {
        return new JournalOptions(durability, DEFAULT_COMPACTION_MINIMUM_BYTES, DEFAULT_COMPACTION_RATIO,
                DEFAULT_MAX_GROUP_WRITES, DEFAULT_RESERVE_BYTES, DEFAULT_GROUP_WINDOW, DEFAULT_PREALLOCATION_BYTES,
                Completions.VIRTUAL_THREAD);
    }

    public JournalOptions withCompaction(long minimumBytes, double ratio) {
        return new JournalOptions(durability, minimumBytes, ratio, maxGroupWrites, reserveBytes, groupWindow,
                preallocationBytes, completions);
    }

    public JournalOptions withReserveBytes(long bytes) {
        return new JournalOptions(durability, compactionMinimumBytes, compactionRatio, maxGroupWrites, bytes,
                groupWindow, preallocationBytes, completions);
    }

    public JournalOptions withGroupWindow(Duration window) {
        return new JournalOptions(durability, compactionMinimumBytes, compactionRatio, maxGroupWrites, reserveBytes,
                window, preallocationBytes, completions);
    }

    public JournalOptions withPreallocationBytes(long bytes) {
        return new JournalOptions(durability, compactionMinimumBytes, compactionRatio, maxGroupWrites, reserveBytes,
                groupWindow, bytes, completions);
    }

    public JournalOptions withCompletions(Completions where) {
        return new JournalOptions(durability, compactionMinimumBytes, compactionRatio, maxGroupWrites, reserveBytes,
                groupWindow, preallocationBytes, where);
    }
}
