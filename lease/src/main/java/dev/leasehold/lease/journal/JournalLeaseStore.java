package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.lease.StoreStatistic;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default lease store (DESIGN §3, "embedded default"): an append-only journal file in a data
 * folder, and a compact in-memory index of every lease.
 *
 * <h2>Files</h2>
 * {@code leases.journal} holds length-prefixed, CRC-32C-checked records, each a put or a delete
 * ({@link LeaseCodec} documents the bytes), then usually zeros: the writer keeps the file extended
 * ahead of its records so that a force need not grow it ({@link JournalWriter}). After a compaction the journal begins with a snapshot
 * of the live leases (as put records) followed by the records written since, so start-up always
 * replays one file. {@code leases.journal.compacting} is a snapshot being written (removed at
 * start-up if a crash left it); {@code leases.lock} keeps a second process out; {@code
 * leases.reserve} is the space reserve.
 *
 * <h2>Writes</h2>
 * A put checks for a conflict and updates the index under the index's write lock, and queues
 * its record in the same critical section, so the journal's order is the index's order and two
 * clients can never both be stored for one address. The returned future completes only when the
 * record is as durable as the {@link DurabilityPolicy} promises ({@link JournalWriter}: group
 * commit under {@code BATCH}, with a short wait for more writes when others are writing:
 * {@link JournalOptions#groupWindow()}). Reads see a put as soon as it is accepted, before it is durable,
 * so a conflicting put is refused at once; if the write then fails, the index is rolled back.
 *
 * <h2>Failures</h2>
 * A full disk or an I/O error completes the put as {@link PutResult.Failed}, truncates the journal
 * back to its last good record, and turns {@link #health()} not-writable with the reason; each
 * later put tries again, and the first success makes the store writable again. A full disk first
 * costs the space reserve ({@value #RESERVE_FILE}, {@link JournalOptions#reserveBytes()}): renewals
 * of stored leases keep being written into the space it frees, new leases are refused as
 * {@link PutResult.Failed} without touching the disk, until the reserve can be re-created. Start-up cuts a
 * torn last record away (logged, and counted in {@link #tornBytesDiscarded()} and the health
 * detail) but refuses a journal damaged in the middle ({@link JournalCorruptedException}).
 *
 * <h2>Compaction</h2>
 * When the journal grows past {@link JournalOptions#compactionMinimumBytes()} and
 * {@link JournalOptions#compactionRatio()} times the live set, a background thread writes a
 * snapshot and the writer swaps it in by an atomic rename ({@link JournalCompactor} explains why
 * puts are not held up).
 */
public final class JournalLeaseStore implements LeaseStore {

    public static final String JOURNAL_FILE = "leases.journal";
    public static final String COMPACTING_FILE = "leases.journal.compacting";
    public static final String LOCK_FILE = "leases.lock";
    public static final String RESERVE_FILE = "leases.reserve";

    private static final Logger log = LoggerFactory.getLogger(JournalLeaseStore.class);
    private static final int FOR_EACH_CHUNK = 1024;
    private static final String DISK_FULL = "the disk holding the lease journal is full: only renewals of stored"
            + " leases are accepted until space returns";

    private final Path journalFile;
    private final JournalOptions options;
    private final ReentrantReadWriteLock lock;
    private final LeaseTable table;
    private final JournalWriter writer;
    private final FileChannel lockChannel;
    private final FileLock processLock;
    private final long tornBytesDiscarded;
    private final String recoveryNote;
    private final long replayNanos;
    private boolean closed;

    private JournalLeaseStore(Path journalFile, JournalOptions options, LeaseTable table,
            ReentrantReadWriteLock lock, JournalWriter writer,
            FileChannel lockChannel, FileLock processLock, long tornBytesDiscarded, String recoveryNote,
            long replayNanos) {
        this.journalFile = journalFile;
        this.options = options;
        this.table = table;
        this.lock = lock;
        this.writer = writer;
        this.lockChannel = lockChannel;
        this.processLock = processLock;
        this.tornBytesDiscarded = tornBytesDiscarded;
        this.recoveryNote = recoveryNote;
        this.replayNanos = replayNanos;
    }

    /** Opens (or creates) the store in {@code dataDirectory} with {@link JournalOptions#defaults()}. */
    public static JournalLeaseStore open(Path dataDirectory) throws IOException {
        return open(dataDirectory, JournalOptions.defaults());
    }

    /** Opens (or creates) the store in {@code dataDirectory} with default compaction settings. */
    public static JournalLeaseStore open(Path dataDirectory, DurabilityPolicy durability) throws IOException {
        return open(dataDirectory, JournalOptions.of(durability));
    }

    /**
     * Opens (or creates) the store in {@code dataDirectory}, replaying its journal.
     *
     * @throws JournalCorruptedException when a record in the middle of the journal is damaged
     * @throws IOException when the folder cannot be used, or another process has the store open
     */
    public static JournalLeaseStore open(Path dataDirectory, JournalOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        long started = System.nanoTime();
        Files.createDirectories(dataDirectory);
        FileChannel lockChannel = FileChannel.open(dataDirectory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel journal = null;
        try {
            FileLock processLock = lockFolder(dataDirectory, lockChannel);
            Files.deleteIfExists(dataDirectory.resolve(COMPACTING_FILE));
            Path journalFile = dataDirectory.resolve(JOURNAL_FILE);
            boolean existed = Files.exists(journalFile);
            journal = FileChannel.open(journalFile,
                    StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            // A record is 60-80 bytes; a journal full of renewals would overstate the leases, hence the cap.
            LeaseTable table = new LeaseTable((int) Math.min(1 << 20, journal.size() / 64));
            JournalReplay.Result replay = JournalReplay.replay(journalFile, journal, table);
            String note = null;
            if (replay.torn()) {
                note = "discarded a torn record at offset " + replay.tornOffset() + " (" + replay.tornReason()
                        + ") and what followed it, " + replay.tornBytes() + " bytes, left by a crash during a write";
                log.warn("lease journal {}: {}", journalFile, note);
            }
            long end = replay.validEnd();
            if (end < JournalReplay.FILE_HEADER_BYTES) {
                journal.truncate(0);
                ByteBuffer header = ByteBuffer.wrap(JournalReplay.MAGIC);
                while (header.hasRemaining()) {
                    journal.write(header, header.position());
                }
                end = JournalReplay.FILE_HEADER_BYTES;
                journal.force(true);
                if (!existed) {
                    syncDirectory(dataDirectory);
                }
            } else if (replay.torn()) {
                journal.truncate(end);
                journal.force(true);
            }
            JournalLeaseStore store = create(dataDirectory, journalFile, options, table, journal, end, journal.size(),
                    lockChannel, processLock, replay.torn() ? replay.tornBytes() : 0, note,
                    System.nanoTime() - started);
            log.info("lease journal {}: {} leases from {} records in {} ms", journalFile, table.size(),
                    replay.records(), (System.nanoTime() - started) / 1_000_000);
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(journal, e);
            closeQuietly(lockChannel, e);
            throw e;
        }
    }

    private static JournalLeaseStore create(Path directory, Path journalFile, JournalOptions options, LeaseTable table,
            FileChannel journal, long end, long fileSize, FileChannel lockChannel, FileLock processLock, long tornBytes, String note,
            long openNanos) {
        // The index lock and the queue are shared: the writer rolls the index back under that lock.
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        LinkedBlockingQueue<JournalTask> queue = new LinkedBlockingQueue<>();
        SpaceReserve reserve = new SpaceReserve(directory.resolve(RESERVE_FILE), options.reserveBytes());
        if (options.reserveBytes() > 0 && !reserve.create()) {
            log.warn("lease journal {}: cannot create the {}-byte space reserve; if the disk fills, renewals will"
                    + " fail like new leases", journalFile, options.reserveBytes());
        }
        JournalWriter writer = new JournalWriter(directory, journalFile, directory.resolve(COMPACTING_FILE), journal,
                end, fileSize, options, lock, table, queue, reserve);
        JournalLeaseStore store = new JournalLeaseStore(journalFile, options, table, lock, writer,
                lockChannel, processLock, tornBytes, note, openNanos);
        writer.start();
        return store;
    }

    private static FileLock lockFolder(Path directory, FileChannel lockChannel) throws IOException {
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IOException("the lease store in " + directory + " is already open in this process", e);
        }
        if (lock == null) {
            throw new IOException("the lease store in " + directory + " is in use by another process");
        }
        return lock;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the client id or host name is longer than the
     *     journal's 65,535-byte field limit (DHCP options carry at most 255 bytes each)
     */
    @Override
    public CompletableFuture<PutResult> put(Lease lease, Instant now) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        LeaseRow row = LeaseCodec.row(lease);
        byte[] record = LeaseCodec.putRecord(row);
        long nowSecond = now.getEpochSecond();
        int nowNano = now.getNano();
        lock.writeLock().lock();
        try {
            if (closed) {
                return CompletableFuture.completedFuture(
                        new PutResult.Failed("the lease store " + journalFile + " is closed", null));
            }
            int slot = table.slotOf(row.address());
            LeaseRow previous = null;
            if (slot >= 0) {
                if (table.heldAgainst(slot, row.identity(), nowSecond, nowNano)) {
                    return CompletableFuture.completedFuture(new PutResult.Conflict(table.lease(slot)));
                }
                previous = table.row(slot);
            }
            if (writer.renewalsOnly() && (slot < 0 || !table.sameClient(slot, row.identity()))) {
                writer.requestSpaceCheck();
                return CompletableFuture.completedFuture(new PutResult.Failed(DISK_FULL, null));
            }
            table.store(row);
            CompletableFuture<PutResult> future = new CompletableFuture<>();
            writer.submit(new JournalTask.PutWrite(record, lease, previous, future, System.nanoTime()));
            return future;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes exceptionally with an {@link IOException} when the delete could not be written.
     */
    @Override
    public CompletableFuture<Boolean> delete(Ipv4Address address) {
        int bits = address.bits();
        lock.writeLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the lease store is closed"));
            }
            int slot = table.slotOf(bits);
            if (slot < 0) {
                return CompletableFuture.completedFuture(false);
            }
            LeaseRow previous = table.row(slot);
            table.remove(bits);
            CompletableFuture<Boolean> future = new CompletableFuture<>();
            writer.submit(new JournalTask.DeleteWrite(LeaseCodec.deleteRecord(bits), bits, previous, future,
                    System.nanoTime()));
            return future;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<Lease> get(Ipv4Address address) {
        lock.readLock().lock();
        try {
            int slot = table.slotOf(address.bits());
            return slot < 0 ? Optional.empty() : Optional.of(table.lease(slot));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Lease> findByClient(ClientId clientId) {
        byte[] bytes = clientId.bytes();
        lock.readLock().lock();
        try {
            return table.findByClient(bytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress) {
        byte[] bytes = hardwareAddress.bytes();
        lock.readLock().lock();
        try {
            return table.findByHardware(hardwareAddress.htype(), bytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@inheritDoc} A scan of the index's arrays under the read lock: about 1 ms per million leases. */
    @Override
    public List<Lease> findExpired(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        lock.readLock().lock();
        try {
            return table.findExpired(now.getEpochSecond(), now.getNano(), limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs {@code action} outside the lock, a chunk of leases at a time, so the action may call
     * the store. A lease changed during the walk may be seen in its old or new form, or (if
     * deleted or added meanwhile) not at all.
     */
    @Override
    public void forEach(Consumer<Lease> action) {
        int slot = 0;
        List<Lease> chunk = new ArrayList<>(FOR_EACH_CHUNK);
        while (true) {
            boolean more;
            lock.readLock().lock();
            try {
                slot = table.forEach(slot, FOR_EACH_CHUNK, chunk::add);
                more = slot < table.slotLimit();
            } finally {
                lock.readLock().unlock();
            }
            chunk.forEach(action);
            chunk.clear();
            if (!more) {
                return;
            }
        }
    }

    @Override
    public long size() {
        lock.readLock().lock();
        try {
            return table.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StoreHealth health() {
        String failure = writer.failure();
        if (failure != null) {
            return new StoreHealth(false, failure + " (failing since " + writer.failingSince()
                    + "; each new write tries again)");
        }
        if (writer.renewalsOnly()) {
            return new StoreHealth(false, DISK_FULL + " (" + journalFile + ", running on the space reserve)");
        }
        StringBuilder detail = new StringBuilder("lease journal ").append(journalFile).append(": ")
                .append(writer.journalBytes()).append(" bytes, ").append(size()).append(" leases, ")
                .append(options.durability()).append(" durability");
        if (recoveryNote != null) {
            detail.append("; at start-up ").append(recoveryNote);
        }
        String compaction = writer.lastCompactionProblem();
        if (compaction != null) {
            detail.append("; last compaction abandoned: ").append(compaction);
        }
        boolean open;
        lock.readLock().lock();
        try {
            open = !closed;
        } finally {
            lock.readLock().unlock();
        }
        if (!open) {
            return new StoreHealth(false, detail.append("; closed").toString());
        }
        return new StoreHealth(true, detail.toString());
    }

    /** Writes and forces everything queued, then releases the files. Idempotent. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            writer.cancelCompaction();
            writer.submit(new JournalTask.Stop(stopped));
        } finally {
            lock.writeLock().unlock();
        }
        boolean interrupted = false;
        while (true) {
            try {
                writer.awaitTermination();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        stopped.join();
        try {
            processLock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("lease journal {}: releasing the folder lock failed: {}", journalFile, e.toString());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // Metrics: cheap volatile reads, for a metrics module to poll.

    /** How many times the journal was forced to disk (fsync/fdatasync). */
    @Override
    public java.util.List<StoreStatistic> statistics() {
        return java.util.List.of(
                StoreStatistic.counter("leasehold_journal_fsyncs_total", "fsync calls on the lease journal.", fsyncCount()),
                StoreStatistic.counter("leasehold_journal_fsync_seconds_total", "Time spent in journal fsyncs.",
                        totalFsyncNanos() / 1e9),
                StoreStatistic.gauge("leasehold_journal_fsync_last_seconds", "Duration of the last journal fsync.",
                        lastFsyncNanos() / 1e9),
                StoreStatistic.gauge("leasehold_journal_fsync_max_seconds", "Longest journal fsync since start.",
                        maxFsyncNanos() / 1e9),
                StoreStatistic.counter("leasehold_journal_batches_total", "Group commits (one fsync covering a batch).",
                        batchCount()),
                StoreStatistic.counter("leasehold_journal_writes_total", "Lease writes committed to the journal.",
                        writesCommitted()),
                StoreStatistic.counter("leasehold_journal_writes_failed_total", "Lease writes the journal refused.",
                        writesFailed()),
                StoreStatistic.gauge("leasehold_journal_last_batch_size", "Writes in the last group commit.", lastBatchSize()),
                StoreStatistic.gauge("leasehold_journal_bytes",
                        "Bytes of records in the journal (the file also holds zeros written ahead of them).", journalBytes()),
                StoreStatistic.counter("leasehold_journal_group_windows_total",
                        "Group commits that waited for more writes (the group window, under load).", groupWindowCount()),
                StoreStatistic.counter("leasehold_journal_preallocations_total",
                        "Times the journal file was extended with zeros ahead of its records.", preallocationCount()),
                StoreStatistic.counter("leasehold_journal_compactions_total", "Journal compactions.", compactionCount()));
    }

    public long fsyncCount() { return writer.fsyncCount(); }

    /** How long the latest force took, in nanoseconds. */
    public long lastFsyncNanos() { return writer.lastFsyncNanos(); }

    /** The sum of all force durations, in nanoseconds; divide by {@link #fsyncCount()} for the mean. */
    public long totalFsyncNanos() { return writer.totalFsyncNanos(); }

    /** The longest force so far, in nanoseconds. */
    public long maxFsyncNanos() { return writer.maxFsyncNanos(); }

    /** How many writes the latest group commit covered. */
    public int lastBatchSize() { return writer.lastGroupSize(); }

    /** How many groups were committed (each one write call and, unless NONE, one force). */
    public long batchCount() { return writer.groups(); }

    public long writesCommitted() { return writer.writesCommitted(); }

    /** Writes that completed as failed (disk full, I/O errors), including those queued behind a failure. */
    public long writesFailed() { return writer.writesFailed(); }

    public long compactionCount() { return writer.compactions(); }

    /**
     * How long the latest compaction held up writes, in nanoseconds: the writer copying the
     * records written during the snapshot behind it, forcing and renaming.
     */
    public long lastCompactionPauseNanos() { return writer.lastSwitchOverNanos(); }

    public boolean compacting() { return writer.compacting(); }

    /**
     * Where the journal's records end, in bytes from the start of the file: the next record goes
     * there. The file itself is usually longer, by the zeros written ahead of the records
     * ({@link JournalOptions#preallocationBytes()}).
     */
    public long journalBytes() { return writer.journalBytes(); }

    /**
     * How many groups opened the group window ({@link JournalOptions#groupWindow()}): those that
     * followed a group of {@code JournalWriter.WINDOW_AFTER_GROUP_OF} or more writes.
     */
    public long groupWindowCount() { return writer.windowsWaited(); }

    /** How many times the writer extended the journal file with zeros ahead of its records. */
    public long preallocationCount() { return writer.preallocations(); }

    /** Bytes of torn tail cut away at start-up (0 after a clean shutdown). */
    public long tornBytesDiscarded() { return tornBytesDiscarded; }

    /** How long {@link #open} took, replay included, in nanoseconds. */
    public long openNanos() { return replayNanos; }

    public Path journalFile() { return journalFile; }

    public JournalOptions options() { return options; }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static void closeQuietly(AutoCloseable closeable, Exception into) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            into.addSuppressed(e);
        }
    }
}
