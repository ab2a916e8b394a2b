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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
        writeLeases(count, JournalOptions.defaults());
    }

    /** Puts leases 1 to {@code count}, each awaited, in a store opened with {@code options}. */
    private void writeLeases(int count, JournalOptions options) throws IOException {
        try (JournalLeaseStore store = open(options)) {
            for (int n = 1; n <= count; n++) {
                assertThat(put(store, lease(n, 3600))).isInstanceOf(PutResult.Stored.class);
            }
        }
    }

    /** Writes {@code count} leases under NONE (no force per put), closing forces them all. */
    private void writeLeasesQuickly(int count) throws IOException {
        try (JournalLeaseStore store = open(JournalOptions.of(DurabilityPolicy.NONE))) {
            CompletableFuture<PutResult> last = null;
            for (int n = 1; n <= count; n++) {
                last = store.put(lease(n, 3600), T0);
            }
            assertThat(last.join()).isInstanceOf(PutResult.Stored.class);
        }
    }

    private long recordsEnd() throws IOException {
        return JournalFixtures.recordsEnd(journal());
    }

    // ---- where completions run -------------------------------------------------------------

    @Test
    void continuationsRunOffTheWriterByDefaultAndOnItWhenAsked() throws Exception {
        try (JournalLeaseStore store = open()) {
            String thread = store.put(lease(1, 3600), T0).thenApply(r -> Thread.currentThread().getName())
                    .get(10, TimeUnit.SECONDS);
            assertThat(thread).isNotEqualTo("lease-journal-writer");
        }
        try (JournalLeaseStore store = open(JournalOptions.defaults()
                .withCompletions(JournalOptions.Completions.WRITER_THREAD))) {
            // A put issued from a continuation that runs on the writer cannot complete before
            // its own continuation is attached: only the writer completes puts, and it is busy
            // running ours. So that second continuation must run on the writer. (The first may
            // run on this thread when its put completed before it was attached: then try again.)
            int onWriter = 0;
            for (int attempt = 0; attempt < 20 && onWriter < 3; attempt++) {
                int n = 10 + 2 * attempt;
                CompletableFuture<String[]> where = new CompletableFuture<>();
                store.put(lease(n, 3600), T0).thenAccept(first -> {
                    String outer = Thread.currentThread().getName();
                    store.put(lease(n + 1, 3600), T0).thenAccept(second ->
                            where.complete(new String[] {outer, Thread.currentThread().getName()}));
                });
                String[] threads = where.get(10, TimeUnit.SECONDS);
                if (threads[0].equals("lease-journal-writer")) {
                    onWriter++;
                    assertThat(threads[1]).isEqualTo("lease-journal-writer");
                }
            }
            assertThat(onWriter).as("continuations that ran on the writer").isPositive();
            // Every put still completes, in order, when each continuation issues the next put
            // without waiting for it (what the engine's completions do).
            List<CompletableFuture<PutResult>> chained = new ArrayList<>();
            CompletableFuture<PutResult> first = store.put(lease(3, 3600), T0);
            CompletableFuture<Void> issued = first.thenAccept(r -> chained.add(store.put(lease(4, 3600), T0)));
            issued.get(10, TimeUnit.SECONDS);
            assertThat(chained.getFirst().get(10, TimeUnit.SECONDS)).isInstanceOf(PutResult.Stored.class);
        }
    }

    // ---- recovery --------------------------------------------------------------------------

    @Test
    void theFileIsKeptExtendedAheadOfItsRecordsAndAReopenAppendsAtTheirEnd() throws IOException {
        long end;
        long fileSize;
        try (JournalLeaseStore store = open()) {
            for (int n = 1; n <= 10; n++) {
                assertThat(put(store, lease(n, 3600))).isInstanceOf(PutResult.Stored.class);
            }
            end = store.journalBytes();
            fileSize = Files.size(journal());
            assertThat(store.preallocationCount()).isEqualTo(1);
            assertThat(fileSize).isGreaterThan(end)
                    .isLessThanOrEqualTo(end + JournalOptions.DEFAULT_PREALLOCATION_BYTES);
        }
        assertThat(recordsEnd()).isEqualTo(end);
        assertThat(JournalFixtures.onlyZerosFrom(journal(), end)).isTrue();

        byte[] eleventh = LeaseCodec.putRecord(LeaseCodec.row(lease(11, 3600)));
        try (JournalLeaseStore store = open()) {
            assertThat(store.tornBytesDiscarded()).as("zeros after the records are a clean end").isZero();
            assertThat(store.health().detail()).doesNotContain("torn");
            assertThat(store.journalBytes()).isEqualTo(end);
            assertThat(Files.size(journal())).as("the zeros stay, for the writer to fill").isEqualTo(fileSize);
            assertThat(put(store, lease(11, 3600))).isInstanceOf(PutResult.Stored.class);
            assertThat(store.journalBytes()).isEqualTo(end + eleventh.length);
            assertThat(Files.size(journal())).as("written into the zeros, not appended").isEqualTo(fileSize);
        }
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(11);
            for (int n = 1; n <= 11; n++) {
                assertThat(store.get(address(n))).contains(lease(n, 3600));
            }
        }
    }

    @Test
    void withoutPreallocationTheFileEndsAtItsRecords() throws IOException {
        try (JournalLeaseStore store = open(JournalOptions.defaults().withPreallocationBytes(0))) {
            for (int n = 1; n <= 10; n++) {
                assertThat(put(store, lease(n, 3600))).isInstanceOf(PutResult.Stored.class);
            }
            assertThat(Files.size(journal())).isEqualTo(store.journalBytes());
            assertThat(store.preallocationCount()).isZero();
        }
    }

    @Test
    void aRecordCutShortByACrashIsDiscardedAndReported() throws IOException {
        writeLeases(10);
        long cleanEnd = recordsEnd();
        long fileSize = Files.size(journal());
        byte[] eleventh = LeaseCodec.putRecord(LeaseCodec.row(lease(11, 3600)));
        // The write of the eleventh record reached the disk only half, into the zeros ahead.
        JournalFixtures.writeAt(journal(), cleanEnd, Arrays.copyOf(eleventh, eleventh.length / 2));

        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(10);
            assertThat(store.get(address(11))).isEmpty();
            assertThat(store.tornBytesDiscarded()).as("cut from the torn record to the end of the file")
                    .isEqualTo(fileSize - cleanEnd);
            assertThat(store.health().writable()).isTrue();
            assertThat(store.health().detail()).contains("torn record", "offset " + cleanEnd);
            assertThat(store.journalBytes()).isEqualTo(cleanEnd);
            assertThat(put(store, lease(11, 3600))).isInstanceOf(PutResult.Stored.class);
        }
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(11);
            assertThat(store.tornBytesDiscarded()).isZero();
        }
    }

    @Test
    void aRecordCutShortAtTheEndOfAFileThatGrowsWithEachWriteIsDiscarded() throws IOException {
        JournalOptions appending = JournalOptions.defaults().withPreallocationBytes(0);
        writeLeases(10, appending);
        long cleanSize = Files.size(journal());
        byte[] eleventh = LeaseCodec.putRecord(LeaseCodec.row(lease(11, 3600)));
        JournalFixtures.append(journal(), Arrays.copyOf(eleventh, eleventh.length / 2));
        try (JournalLeaseStore store = open(appending)) {
            assertThat(store.size()).isEqualTo(10);
            assertThat(store.tornBytesDiscarded()).isEqualTo(eleventh.length / 2);
            assertThat(Files.size(journal())).isEqualTo(cleanSize);
        }
    }

    @Test
    void aHeaderCutShortIsDiscarded() throws IOException {
        JournalOptions appending = JournalOptions.defaults().withPreallocationBytes(0);
        writeLeases(3, appending);
        byte[] fourth = LeaseCodec.putRecord(LeaseCodec.row(lease(4, 3600)));
        // The 4-byte length and the first byte of the checksum: not all zero, so not a clean end.
        JournalFixtures.append(journal(), Arrays.copyOf(fourth, 5));
        try (JournalLeaseStore store = open(appending)) {
            assertThat(store.size()).isEqualTo(3);
            assertThat(store.tornBytesDiscarded()).isEqualTo(5);
        }
    }

    @Test
    void zeroFilledBlocksAfterTheLastRecordAreACleanEndAndStay() throws IOException {
        JournalOptions appending = JournalOptions.defaults().withPreallocationBytes(0);
        writeLeases(5, appending);
        long end = Files.size(journal());
        // As a file system leaves a file it extended but never filled; a 3-byte tail too.
        JournalFixtures.append(journal(), new byte[4096 + 3]);
        try (JournalLeaseStore store = open(appending)) {
            assertThat(store.size()).isEqualTo(5);
            assertThat(store.tornBytesDiscarded()).isZero();
            assertThat(store.journalBytes()).isEqualTo(end);
            assertThat(Files.size(journal())).isEqualTo(end + 4099);
        }
    }

    @Test
    void aLastRecordWithABadChecksumIsDiscarded() throws IOException {
        writeLeases(5);
        List<Long> offsets = JournalFixtures.recordOffsets(journal());
        // Byte 14 of the record is inside its payload (the subnet id field).
        JournalFixtures.flipByte(journal(), offsets.getLast() + 14);
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(4);
            assertThat(store.get(address(5))).isEmpty();
            assertThat(store.health().detail()).contains("checksum mismatch");
        }
    }

    @Test
    void aGroupTornInsidePreallocatedSpaceIsCutAtItsFirstBadRecord() throws IOException {
        writeLeases(10);
        long cleanEnd = recordsEnd();
        long fileSize = Files.size(journal());
        // A torn group of two records: the block holding the first never reached the disk (still
        // zeros), the second did, a little further on. It must not come back as a lease, now or
        // after the writer has written over the zeros in front of it.
        byte[] lost = LeaseCodec.putRecord(LeaseCodec.row(lease(11, 3600)));
        byte[] survivor = LeaseCodec.putRecord(LeaseCodec.row(lease(12, 3600)));
        JournalFixtures.writeAt(journal(), cleanEnd + lost.length, survivor);

        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(10);
            assertThat(store.get(address(12))).isEmpty();
            assertThat(store.tornBytesDiscarded()).isEqualTo(fileSize - cleanEnd);
            assertThat(store.health().detail()).contains("torn record", "offset " + cleanEnd,
                    "impossible record length 0");
            assertThat(store.journalBytes()).isEqualTo(cleanEnd);
            assertThat(put(store, lease(13, 3600))).isInstanceOf(PutResult.Stored.class);
        }
        try (JournalLeaseStore store = open()) {
            assertThat(store.tornBytesDiscarded()).isZero();
            assertThat(store.size()).isEqualTo(11);
            for (int n = 1; n <= 10; n++) {
                assertThat(store.get(address(n))).contains(lease(n, 3600));
            }
            assertThat(store.get(address(12))).isEmpty();
            assertThat(store.get(address(13))).contains(lease(13, 3600));
        }
    }

    @Test
    void dataFurtherThanOneGroupWriteBeyondABadRecordIsCorruption() throws IOException {
        writeLeases(10);
        long cleanEnd = recordsEnd();
        byte[] stray = LeaseCodec.putRecord(LeaseCodec.row(lease(11, 3600)));
        long strayAt = cleanEnd + JournalWriter.MAX_GROUP_BYTES + 4096;
        JournalFixtures.writeAt(journal(), strayAt, stray);
        long sizeBefore = Files.size(journal());

        assertThatThrownBy(this::open)
                .isInstanceOfSatisfying(JournalCorruptedException.class, e -> assertThat(e.offset()).isEqualTo(cleanEnd))
                .hasMessageContaining("not a torn tail");
        assertThat(Files.size(journal())).isEqualTo(sizeBefore);
    }

    @Test
    void aDamagedRecordInTheMiddleIsRefusedNamingItsOffset() throws IOException {
        // Enough records after the damaged one that they reach past what one torn group could hold.
        writeLeasesQuickly(5000);
        assertThat(recordsEnd()).isGreaterThan(JournalWriter.MAX_GROUP_BYTES + 4096);
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
        writeLeasesQuickly(5000);
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
        // Without the window: only what queued during the previous force joins a group.
        try (JournalLeaseStore store = open(JournalOptions.of(DurabilityPolicy.BATCH).withGroupWindow(Duration.ZERO))) {
            runConcurrently(store, threads, perThread);
            assertThat(store.writesCommitted()).isEqualTo(threads * perThread);
            assertThat(store.fsyncCount()).isEqualTo(store.batchCount()).isLessThan(threads * perThread);
            assertThat(store.lastBatchSize()).isPositive();
            assertThat(store.totalFsyncNanos()).isPositive();
            assertThat(store.maxFsyncNanos()).isGreaterThanOrEqualTo(store.lastFsyncNanos());
        }
    }

    @Test
    @Timeout(60)
    void underConcurrentLoadTheGroupWindowGathersManyPutsPerForce() throws Exception {
        int threads = 16;
        int perThread = 200;
        try (JournalLeaseStore store = open(JournalOptions.defaults())) {
            runConcurrently(store, threads, perThread);
            assertThat(store.writesCommitted()).isEqualTo(threads * perThread);
            assertThat(store.fsyncCount()).isEqualTo(store.batchCount());
            System.out.printf("group window 1 ms: %d puts by %d threads in %d groups, %d windows%n",
                    threads * perThread, threads, store.batchCount(), store.groupWindowCount());
            assertThat(store.groupWindowCount()).isPositive();
            // Close to one group per round of the 16 callers; without the window, about twice as many.
            assertThat(store.batchCount()).isLessThan(threads * perThread / 10);
        }
    }

    @Test
    @Timeout(60)
    void aSequentialPutterIsNotHeldBackByTheWindow() throws Exception {
        Duration window = Duration.ofMillis(50);
        int puts = 100;
        try (JournalLeaseStore store = open(JournalOptions.defaults().withGroupWindow(window))) {
            // Concurrent load first, so the writer's last group held several writes.
            runConcurrently(store, 8, 20);
            long groupsBefore = store.batchCount();
            long windowsBefore = store.groupWindowCount();
            long start = System.nanoTime();
            for (int n = 1; n <= puts; n++) {
                assertThat(put(store, lease(10_000 + n, 600))).isInstanceOf(PutResult.Stored.class);
            }
            long meanNanos = (System.nanoTime() - start) / puts;
            assertThat(store.batchCount() - groupsBefore).isEqualTo(puts);
            assertThat(store.groupWindowCount() - windowsBefore).as("windows opened for the sequential puts")
                    .isLessThanOrEqualTo(1);
            // Had the window held each put, the mean would be 50 ms or more; at most the first one
            // waits, since the load before it left a group of several.
            assertThat(meanNanos).as("mean put, ns").isLessThan(window.toNanos() / 5);
        }
    }

    @Test
    @Timeout(60)
    void theWindowShrinksWhenEveryCallerIsAlreadyInTheGroup() throws Exception {
        // Callers that await each put: once all eight are in a group no ninth can come, so a
        // window waited out in full would cost 50 ms per group, some 1.5 s for these 240 puts.
        Duration window = Duration.ofMillis(50);
        int threads = 8;
        int perThread = 30;
        try (JournalLeaseStore store = open(JournalOptions.defaults().withGroupWindow(window))) {
            long start = System.nanoTime();
            runConcurrently(store, threads, perThread);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("window 50 ms, %d callers awaiting each put: %d puts in %d groups, %d ms%n", threads,
                    threads * perThread, store.batchCount(), millis);
            assertThat(millis).isLessThan(perThread * window.toMillis() / 2);
        }
    }

    @Test
    @Timeout(30)
    void theWindowEndsAsSoonAsTheGroupIsFull() throws Exception {
        JournalOptions defaults = JournalOptions.defaults();
        JournalOptions options = new JournalOptions(DurabilityPolicy.BATCH, defaults.compactionMinimumBytes(),
                defaults.compactionRatio(), JournalWriter.WINDOW_AFTER_GROUP_OF, 0,
                Duration.ofMillis(JournalOptions.MAX_GROUP_WINDOW_MILLIS), defaults.preallocationBytes(),
                defaults.completions());
        int full = JournalWriter.WINDOW_AFTER_GROUP_OF;
        LinkedBlockingQueue<JournalTask> queue = new LinkedBlockingQueue<>();
        try (FileChannel channel = newJournal()) {
            JournalWriter writer = writer(channel, options, queue);
            // A full group first, so that the next one opens the window.
            List<CompletableFuture<PutResult>> first = new ArrayList<>();
            for (int n = 1; n <= full; n++) {
                first.add(queue(queue, n));
            }
            writer.start();
            CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(writer.lastGroupSize()).isEqualTo(full);

            long start = System.nanoTime();
            List<CompletableFuture<PutResult>> second = new ArrayList<>();
            for (int n = full + 1; n <= 2 * full; n++) {
                second.add(submit(writer, n));
            }
            CompletableFuture.allOf(second.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(writer.lastGroupSize()).isEqualTo(full);
            assertThat(writer.windowsWaited()).as("the second group waited in a window").isEqualTo(1);
            assertThat(millis).as("the 100 ms window ended when its group was full").isLessThan(80);
            stop(writer, queue);
        }
    }

    @Test
    @Timeout(30)
    void theWindowEndsAsSoonAsTheStoreCloses() throws Exception {
        JournalOptions options = JournalOptions.defaults().withReserveBytes(0)
                .withGroupWindow(Duration.ofMillis(JournalOptions.MAX_GROUP_WINDOW_MILLIS));
        LinkedBlockingQueue<JournalTask> queue = new LinkedBlockingQueue<>();
        try (FileChannel channel = newJournal()) {
            JournalWriter writer = writer(channel, options, queue);
            List<CompletableFuture<PutResult>> first = new ArrayList<>();
            for (int n = 1; n <= JournalWriter.WINDOW_AFTER_GROUP_OF; n++) {
                first.add(queue(queue, n));
            }
            writer.start();
            CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            long start = System.nanoTime();
            CompletableFuture<PutResult> lone = submit(writer, 100);
            Thread.sleep(5);
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            writer.submit(new JournalTask.Stop(stopped));
            assertThat(lone.get(10, TimeUnit.SECONDS)).isInstanceOf(PutResult.Stored.class);
            stopped.get(10, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(writer.windowsWaited()).as("the lone put waited in a window").isEqualTo(1);
            assertThat(millis).as("the 100 ms window ended when close was queued").isLessThan(80);
            writer.awaitTermination();
        }
    }

    private FileChannel newJournal() throws IOException {
        Files.write(journal(), JournalReplay.MAGIC);
        return FileChannel.open(journal(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private JournalWriter writer(FileChannel channel, JournalOptions options, LinkedBlockingQueue<JournalTask> queue) {
        return new JournalWriter(folder, journal(), folder.resolve(JournalLeaseStore.COMPACTING_FILE), channel,
                JournalReplay.FILE_HEADER_BYTES, JournalReplay.FILE_HEADER_BYTES, options, new ReentrantReadWriteLock(),
                new LeaseTable(16), queue, new SpaceReserve(folder.resolve(JournalLeaseStore.RESERVE_FILE), 0));
    }

    private static JournalTask.PutWrite putWrite(int n) {
        Lease lease = lease(n, 600);
        return new JournalTask.PutWrite(LeaseCodec.putRecord(LeaseCodec.row(lease)), lease, null,
                new CompletableFuture<>(), System.nanoTime());
    }

    private static CompletableFuture<PutResult> queue(LinkedBlockingQueue<JournalTask> queue, int n) {
        JournalTask.PutWrite write = putWrite(n);
        queue.add(write);
        return write.future();
    }

    private static CompletableFuture<PutResult> submit(JournalWriter writer, int n) {
        JournalTask.PutWrite write = putWrite(n);
        writer.submit(write);
        return write.future();
    }

    private static void stop(JournalWriter writer, LinkedBlockingQueue<JournalTask> queue) throws Exception {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        writer.submit(new JournalTask.Stop(stopped));
        stopped.get(10, TimeUnit.SECONDS);
        writer.awaitTermination();
    }

    @Test
    @Timeout(60)
    void noWriteCallHoldsMoreThanOneGroupsWorthOfBytes() throws Exception {
        // The writer is driven directly, its queue filled before it starts, so that it drains
        // 8,192 writes (some 600 KB) at once, as it would if it fell far behind.
        int puts = 10_000;
        LinkedBlockingQueue<JournalTask> queue = new LinkedBlockingQueue<>();
        List<CompletableFuture<PutResult>> futures = new ArrayList<>();
        long bytes = 0;
        for (int n = 1; n <= puts; n++) {
            JournalTask.PutWrite write = putWrite(n);
            bytes += write.record().length;
            futures.add(write.future());
            queue.add(write);
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        queue.add(new JournalTask.Stop(stopped));
        JournalOptions options = JournalOptions.of(DurabilityPolicy.NONE).withReserveBytes(0);
        try (FileChannel channel = newJournal()) {
            JournalWriter writer = writer(channel, options, queue);
            writer.start();
            stopped.get(30, TimeUnit.SECONDS);
            writer.awaitTermination();
            assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(PutResult.Stored.class));
            assertThat(writer.writesCommitted()).isEqualTo(puts);
            assertThat(writer.journalBytes()).isEqualTo(JournalReplay.FILE_HEADER_BYTES + bytes);
            assertThat(writer.groups()).isGreaterThanOrEqualTo(
                    (bytes + JournalWriter.MAX_GROUP_BYTES - 1) / JournalWriter.MAX_GROUP_BYTES);
            assertThat((long) writer.lastGroupSize() * LeaseCodec.putRecord(LeaseCodec.row(lease(puts, 600))).length)
                    .isLessThanOrEqualTo(JournalWriter.MAX_GROUP_BYTES);
        }
        try (JournalLeaseStore store = open()) {
            assertThat(store.size()).isEqualTo(puts);
            assertThat(store.get(address(puts))).contains(lease(puts, 600));
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
            assertThat(store.journalBytes()).isLessThan(256 << 10);
            assertThat(Files.size(journal())).as("the file: its records, then at most one chunk of zeros")
                    .isBetween(store.journalBytes(), store.journalBytes() + options.preallocationBytes());
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
