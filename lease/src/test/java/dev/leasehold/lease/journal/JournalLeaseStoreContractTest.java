package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.LeaseStoreContract;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The journal store passes the contract under each durability policy. */
class JournalLeaseStoreContractTest {

    abstract static class OnDisk extends LeaseStoreContract {
        @TempDir
        Path folder;

        abstract JournalOptions options();

        @Override
        protected LeaseStore newStore() throws IOException {
            return JournalLeaseStore.open(folder.resolve("data"), options());
        }

        @Override
        protected LeaseStore reopen(LeaseStore closed) throws IOException {
            return JournalLeaseStore.open(folder.resolve("data"), options());
        }
    }

    @Nested
    class Batch extends OnDisk {
        @Override
        JournalOptions options() {
            return JournalOptions.of(DurabilityPolicy.BATCH);
        }
    }

    @Nested
    class Always extends OnDisk {
        @Override
        JournalOptions options() {
            return JournalOptions.of(DurabilityPolicy.ALWAYS);
        }
    }

    @Nested
    class NoFsync extends OnDisk {
        @Override
        JournalOptions options() {
            return JournalOptions.of(DurabilityPolicy.NONE);
        }
    }

    /** Compacts every few kilobytes, so the contract also runs across many switch-overs. */
    @Nested
    class CompactingEagerly extends OnDisk {
        @Override
        JournalOptions options() {
            return JournalOptions.of(DurabilityPolicy.BATCH).withCompaction(4096, 1.5);
        }
    }
}
