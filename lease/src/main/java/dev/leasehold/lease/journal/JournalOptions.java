package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
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
 */
public record JournalOptions(
        DurabilityPolicy durability, long compactionMinimumBytes, double compactionRatio, int maxGroupWrites,
        long reserveBytes) {

    public static final long DEFAULT_COMPACTION_MINIMUM_BYTES = 16L << 20;
    public static final double DEFAULT_COMPACTION_RATIO = 2.0;
    public static final int DEFAULT_MAX_GROUP_WRITES = 8192;
    public static final long DEFAULT_RESERVE_BYTES = 1L << 20;

    public JournalOptions {
        Objects.requireNonNull(durability, "durability");
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
    }

    /** Group commit, compaction once the journal passes 16 MiB and twice the live set, a 1 MiB reserve. */
    public static JournalOptions defaults() {
        return of(DurabilityPolicy.BATCH);
    }

    public static JournalOptions of(DurabilityPolicy durability) {
        return new JournalOptions(durability, DEFAULT_COMPACTION_MINIMUM_BYTES, DEFAULT_COMPACTION_RATIO,
                DEFAULT_MAX_GROUP_WRITES, DEFAULT_RESERVE_BYTES);
    }

    public JournalOptions withCompaction(long minimumBytes, double ratio) {
        return new JournalOptions(durability, minimumBytes, ratio, maxGroupWrites, reserveBytes);
    }

    public JournalOptions withReserveBytes(long bytes) {
        return new JournalOptions(durability, compactionMinimumBytes, compactionRatio, maxGroupWrites, bytes);
    }
}
