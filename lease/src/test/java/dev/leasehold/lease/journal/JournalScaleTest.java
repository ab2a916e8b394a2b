package dev.leasehold.lease.journal;

import static dev.leasehold.lease.journal.JournalFixtures.T0;
import static dev.leasehold.lease.journal.JournalFixtures.address;
import static dev.leasehold.lease.journal.JournalFixtures.lease;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.PutResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3: "Restart with 1 M leases in under 5 s", and the index small enough that a million
 * leases fit well under 256 MB of heap.
 */
class JournalScaleTest {

    static final int LEASES = 1_000_000;

    @TempDir
    Path folder;

    @Test
    @Timeout(120)
    void aMillionLeasesReopenInUnderFiveSecondsAndFitInUnder200MegabytesOfHeap() throws Exception {
        long writeStart = System.nanoTime();
        try (JournalLeaseStore store = JournalLeaseStore.open(folder, JournalOptions.of(DurabilityPolicy.NONE))) {
            CompletableFuture<PutResult> last = null;
            for (int n = 1; n <= LEASES; n++) {
                last = store.put(lease(n, 3600), T0);
            }
            assertThat(last.join()).isInstanceOf(PutResult.Stored.class);
        }
        long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
        long journalBytes = Files.size(folder.resolve(JournalLeaseStore.JOURNAL_FILE));

        long heapBefore = usedHeapAfterGc();
        JournalLeaseStore store = JournalLeaseStore.open(folder, JournalOptions.defaults());
        try {
            long openMillis = store.openNanos() / 1_000_000;
            long heapAfter = usedHeapAfterGc();
            long footprint = heapAfter - heapBefore;
            System.out.printf("1M leases: wrote %d bytes of journal in %d ms; reopened in %d ms;"
                    + " index heap %.1f MB (%d bytes per lease)%n",
                    journalBytes, writeMillis, openMillis, footprint / 1e6, footprint / LEASES);

            assertThat(store.size()).isEqualTo(LEASES);
            assertThat(store.get(address(1))).contains(lease(1, 3600));
            assertThat(store.get(address(LEASES))).contains(lease(LEASES, 3600));
            assertThat(store.findByClient(JournalFixtures.client(777_777))).containsExactly(lease(777_777, 3600));
            assertThat(openMillis).isLessThan(5_000);
            assertThat(footprint).isLessThan(200L << 20);
        } finally {
            store.close();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
