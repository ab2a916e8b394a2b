package dev.leasehold.lease.journal;

import static dev.leasehold.lease.journal.JournalFixtures.T0;
import static dev.leasehold.lease.journal.JournalFixtures.address;
import static dev.leasehold.lease.journal.JournalFixtures.lease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the journal store does beyond the contract: files, recovery, group commit, compaction. */
class JournalLeaseStoreTest {

    @TempDir
    Path folder;

    private JournalLeaseStore open(JournalOptions options) throws IOException {
        return JournalLeaseStore.open(folder, options);
    }

    private JournalLeaseStore open() throws IOException {
        return open(JournalOptions.defaults());
    }

    private static PutResult put(JournalLeaseStore store, Lease lease) {
        return store.put(lease, T0).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private Path journal() {
        return folder.resolve(JournalLeaseStore.JOURNAL_FILE);
    }

    private void writeLeases(int count) throws IOException {
        try (JournalLeaseStore store = open()) {
            for (int n = 1; n <= count; n++) {
                assertThat(put(store, lease(n, 3600))).isInstanceOf(PutResult.Stored.class);
            }
        }
    }

    // ---- recovery --------------------------------------------------------------------------

    @Test
    void aRecordCutShortByACrashIsDiscardedAndReported() throws IOException {
        writeLeases(10);
        long cleanSize = Files.size(journal());
        byte[] eleventh = LeaseCodec.putRecord(LeaseCodec.row(lease(11, 3600)));
        JournalFixtures.append(journal(), Arrays.copyOf(eleventh, eleventh.length / 2));

        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(10);
            assertThat(store.get(address(11))).isEmpty();
            assertThat(store.tornBytesDiscarded()).isEqualTo(eleventh.length / 2);
            assertThat(store.health().writable()).isTrue();
            assertThat(store.health().detail()).contains("torn record", "offset " + cleanSize);
            assertThat(Files.size(journal())).isEqualTo(cleanSize);
            assertThat(put(store, lease(11, 3600))).isInstanceOf(PutResult.Stored.class);
        }
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(11);
            assertThat(store.tornBytesDiscarded()).isZero();
        }
    }

    @Test
    void aHeaderCutShortIsDiscarded() throws IOException {
        writeLeases(3);
        JournalFixtures.append(journal(), new byte[] {0, 0, 0});
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(3);
            assertThat(store.tornBytesDiscarded()).isEqualTo(3);
        }
    }

    @Test
    void zeroFilledBlocksAfterTheLastRecordAreDiscarded() throws IOException {
        writeLeases(5);
        JournalFixtures.append(journal(), new byte[4096]);
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(5);
            assertThat(store.tornBytesDiscarded()).isEqualTo(4096);
        }
    }

    @Test
    void aLastRecordWithABadChecksumIsDiscarded() throws IOException {
        writeLeases(5);
        List<Long> offsets = JournalFixtures.recordOffsets(journal());
        // Byte 20 of the record is inside its payload (the subnet id field).
        JournalFixtures.flipByte(journal(), offsets.getLast() + 14);
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(4);
            assertThat(store.get(address(5))).isEmpty();
            assertThat(store.health().detail()).contains("checksum mismatch");
        }
    }

    @Test
    void aDamagedRecordInTheMiddleIsRefusedNamingItsOffset() throws IOException {
        writeLeases(10);
        long sizeBefore = Files.size(journal());
        long fourth = JournalFixtures.recordOffsets(journal()).get(3);
        JournalFixtures.flipByte(journal(), fourth + 14);

        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> {
                    assertThat(e.offset()).isEqualTo(fourth);
                    assertThat(e.file()).isEqualTo(journal());
                })
                .hasMessageContaining("offset " + fourth)
                .hasMessageContaining("checksum mismatch");
        // Nothing was cut away, and the folder is not left locked.
        assertThat(Files.size(journal())).isEqualTo(sizeBefore);
        assertThatThrownBy(this::open).isInstanceOf(JournalCorruptedException.class);
    }

    @Test
    void aDamagedLengthInTheMiddleIsRefused() throws IOException {
        writeLeases(10);
        long second = JournalFixtures.recordOffsets(journal()).get(1);
        JournalFixtures.flipByte(journal(), second);
        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.offset()).isEqualTo(second));
    }

    @Test
    void aFileThatIsNotAJournalIsRefused() throws IOException {
        Files.writeString(journal(), "leases: []\nthis is some other file\n");
        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.offset()).isZero())
                .hasMessageContaining("not a Leasehold lease journal");
    }

    @Test
    void anEmptyJournalFileIsTreatedAsNew() throws IOException {
        Files.createFile(journal());
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isZero();
            assertThat(put(store, lease(1, 60))).isInstanceOf(PutResult.Stored.class);
        }
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void aSnapshotLeftByACrashDuringCompactionIsIgnoredAndRemoved() throws IOException {
        writeLeases(3);
        Files.write(folder.resolve(JournalLeaseStore.COMPACTING_FILE), new byte[] {1, 2, 3});
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(3);
        }
        assertThat(folder.resolve(JournalLeaseStore.COMPACTING_FILE)).doesNotExist();
    }

    // ---- exclusivity and closing -----------------------------------------------------------

    @Test
    void aFolderCannotBeOpenedTwiceAtOnce() throws IOException {
        try (JournalLeaseStore store = open()) {
            assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("already open");
            assertThat(store.health().writable()).isTrue();
        }
        open().close();
    }

    @Test
    void putAfterCloseFailsWithAReason() throws IOException {
        JournalLeaseStore store = open();
        store.close();
        assertThat(put(store, lease(1, 60)))
                .isInstanceOfSatisfying(PutResult.Failed.class, f -> assertThat(f.reason()).contains("closed"));
        assertThat(store.health().writable()).isFalse();
        store.close();
    }

    @Test
    void closeWritesWhatIsStillQueued() throws IOException {
        List<CompletableFuture<PutResult>> futures = new ArrayList<>();
        JournalLeaseStore store = open(JournalOptions.of(DurabilityPolicy.NONE));
        for (int n = 1; n <= 500; n++) {
            futures.add(store.put(lease(n, 60), T0));
        }
        store.close();
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(PutResult.Stored.class));
        try (JournalLeaseStore reopened = open()) {
            assertThat(reopened.size()).isEqualTo(500);
        }
    }

    // ---- durability policies ---------------------------------------------------------------

    @Test
    @Timeout(30)
    void groupCommitCoversConcurrentPutsWithFewerForcesThanPuts() throws Exception {
        int threads = 16;
        int perThread = 50;
        try (JournalLeaseStore store = open(JournalOptions.of(DurabilityPolicy.BATCH))) {
            runConcurrently(store, threads, perThread);
            assertThat(store.writesCommitted()).isEqualTo(threads * perThread);
            assertThat(store.fsyncCount()).isEqualTo(store.batchCount()).isLessThan(threads * perThread);
            assertThat(store.lastBatchSize()).isPositive();
            assertThat(store.totalFsyncNanos()).isPositive();
            assertThat(store.maxFsyncNanos()).isGreaterThanOrEqualTo(store.lastFsyncNanos());
        }
    }

    @Test
    @Timeout(30)
    void alwaysForcesOncePerWrite() throws Exception {
        try (JournalLeaseStore store = open(JournalOptions.of(DurabilityPolicy.ALWAYS))) {
            runConcurrently(store, 4, 25);
            assertThat(store.writesCommitted()).isEqualTo(100);
            assertThat(store.fsyncCount()).isEqualTo(100);
        }
    }

    @Test
    void noneNeverForcesBeforeClose() throws Exception {
        try (JournalLeaseStore store = open(JournalOptions.of(DurabilityPolicy.NONE))) {
            runConcurrently(store, 4, 25);
            assertThat(store.writesCommitted()).isEqualTo(100);
            assertThat(store.fsyncCount()).isZero();
        }
    }

    /** {@code threads} threads, each putting and awaiting its own leases one by one. */
    private static void runConcurrently(JournalLeaseStore store, int threads, int perThread) throws Exception {
        List<Thread> workers = new ArrayList<>();
        List<Throwable> problems = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            workers.add(Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= perThread; i++) {
                    PutResult result = store.put(lease(base + i, 600), T0).orTimeout(10, TimeUnit.SECONDS).join();
                    if (!(result instanceof PutResult.Stored)) {
                        synchronized (problems) {
                            problems.add(new AssertionError("not stored: " + result));
                        }
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join(20_000);
        }
        assertThat(problems).isEmpty();
    }

    // ---- compaction ------------------------------------------------------------------------

    @Test
    @Timeout(60)
    void compactionKeepsTheJournalNearTheLiveSetAndLosesNothing() throws Exception {
        JournalOptions options = JournalOptions.of(DurabilityPolicy.NONE).withCompaction(64 << 10, 2.0);
        int leases = 200;
        int rounds = 150;
        Set<Integer> deleted = new HashSet<>();
        try (JournalLeaseStore store = open(options)) {
            for (int round = 1; round <= rounds; round++) {
                List<CompletableFuture<PutResult>> futures = new ArrayList<>();
                for (int n = 1; n <= leases; n++) {
                    if (!deleted.contains(n)) {
                        futures.add(store.put(lease(n, round), T0));
                    }
                }
                futures.forEach(CompletableFuture::join);
                if (round % 50 == 0) {
                    assertThat(store.delete(address(round)).join()).isTrue();
                    deleted.add(round);
                }
            }
            // Without compaction the journal would hold 30,000 records (over 2 MB). How much the
            // last compaction left depends on how many puts raced with it; the next commits start
            // another one while the journal is still over twice the live set.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.journalBytes() >= 256 << 10 && System.nanoTime() < deadline) {
                store.put(lease(1, rounds), T0).join();
                Thread.sleep(5);
            }
            awaitNoCompaction(store);
            assertThat(store.compactionCount()).isPositive();
            assertThat(Files.size(journal())).isEqualTo(store.journalBytes()).isLessThan(256 << 10);
        }
        try (JournalLeaseStore store = open(options)) {
            assertThat(store.size()).isEqualTo(leases - 3);
            for (int n = 1; n <= leases; n++) {
                if (deleted.contains(n)) {
                    assertThat(store.get(address(n))).isEmpty();
                } else {
                    assertThat(store.get(address(n))).contains(lease(n, rounds));
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void putsRacingWithCompactionAllSurviveIt() throws Exception {
        JournalOptions options = JournalOptions.of(DurabilityPolicy.BATCH).withCompaction(32 << 10, 1.5);
        int threads = 4;
        int addressesPerThread = 100;
        int rounds = 60;
        try (JournalLeaseStore store = open(options)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * addressesPerThread;
                workers.add(Thread.ofPlatform().start(() -> {
                    for (int round = 1; round <= rounds; round++) {
                        List<CompletableFuture<PutResult>> futures = new ArrayList<>();
                        for (int i = 1; i <= addressesPerThread; i++) {
                            futures.add(store.put(lease(base + i, round), T0));
                        }
                        futures.forEach(CompletableFuture::join);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join(40_000);
            }
            awaitNoCompaction(store);
            assertThat(store.compactionCount()).isGreaterThan(1);
        }
        try (JournalLeaseStore store = open(options)) {
            assertThat(store.size()).isEqualTo(threads * addressesPerThread);
            for (int n = 1; n <= threads * addressesPerThread; n++) {
                assertThat(store.get(address(n))).contains(lease(n, rounds));
            }
        }
    }

    private static void awaitNoCompaction(JournalLeaseStore store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.compacting() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
