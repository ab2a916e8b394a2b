package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.journal.JournalTask.CheckSpace;
import dev.leasehold.lease.journal.JournalTask.PendingWrite;
import dev.leasehold.lease.journal.JournalTask.Stop;
import dev.leasehold.lease.journal.JournalTask.SwitchOver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that appends to the journal: group commit, failure handling and the switch to a
 * compacted file.
 *
 * <p>Group commit ({@link DurabilityPolicy#BATCH}): the thread takes every write queued since the
 * last group, writes them with one call, covers them with one {@code FileChannel.force}, then
 * completes their futures: on a virtual thread by default, so that callers' continuations never
 * run on, or block, the writer; on the writer itself when {@link JournalOptions#completions()}
 * says so, which saves a hand-off for callers whose continuations are short. {@link DurabilityPolicy#ALWAYS} forces after each write; {@link
 * DurabilityPolicy#NONE} never forces until close. One write call never holds more than
 * {@link #MAX_GROUP_BYTES}: replay relies on that bound to tell a torn last group from damage.
 *
 * <p>Group window ({@link JournalOptions#groupWindow()}, BATCH only): when the previous group held
 * {@link #WINDOW_AFTER_GROUP_OF} or more writes, others are writing fast, so after the first write
 * of a group the thread waits up to the window for more, ending early when the group is full or a
 * control task arrives (callers queue through {@link #submit}, which wakes it then). After a
 * smaller group it does not wait: a lone put is written at once. A force costs the same for one lease as for fifty, so under load
 * this trades up to one window of latency for far fewer forces per lease. The window adapts: when
 * writes stopped coming early in a window that ran out (callers that wait for each put before
 * the next, all of them already in the group), the next window is about twice as long as that
 * one was useful, at least {@link #MIN_WINDOW_NANOS}; a window that filled its group, or was used
 * to its end, brings it back towards the configured length.
 *
 * <p>Preallocation ({@link JournalOptions#preallocationBytes()}): the file is kept extended with
 * written zeros ahead of the last record, a chunk at a time, so that forcing a group overwrites
 * blocks the file already has instead of growing it (on ext4 a force that changes the size must
 * also commit the inode through the file system's journal: about 40 % more time and CPU). {@link
 * #journalBytes()} stays the logical end. An extension that fails (disk full), or that would
 * leave the disk with little free ({@link ZeroFill#HEADROOM_FACTOR}), is not an error: the group
 * is appended as before, and extension is tried again a few seconds later.
 *
 * <p>A failed write or force (disk full, I/O error) truncates the journal back to the end of the
 * last good group, so no half-written record stays; then, holding the index lock so that no new
 * write can slip in between, it fails that group and everything queued behind it and undoes their
 * index changes newest first. The next write simply tries again; the first success clears the
 * failure.
 *
 * <p>Disk full, in more detail: before failing, the writer deletes the {@link SpaceReserve} and
 * retries the group once in the space it freed. From then on the store accepts only renewals
 * (puts by the client already stored for the address), which the reserve can absorb for a good
 * while, and refuses new leases at once; every refused new lease nudges the writer, which tries
 * at most twice a second to re-create the reserve, and once it can, new leases are accepted again.
 */
final class JournalWriter {

    private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

    /**
     * The most bytes one group writes in one call (a single record may be up to about 128 KiB).
     * Replay treats a bad record as a torn tail only when every non-zero byte after it lies within
     * this distance, so the smaller it is, the less mid-file damage can pass for a torn write; a
     * quarter MiB still holds some 3,500 leases, far more than a group gathers in practice.
     */
    static final int MAX_GROUP_BYTES = 256 << 10;
    /**
     * The group window opens only after a group at least this large: writes then arrive faster
     * than one per force even without waiting, so waiting gathers several more per force. At a
     * few thousand leases a second, groups of two or three form by themselves, and waiting would
     * only add latency (measured at 2,000/s: Request→Ack median 1.3 ms with a window after groups
     * of two, 0.4 ms without).
     */
    static final int WINDOW_AFTER_GROUP_OF = 4;
    /** The shortest adapted group window: about what one park takes to return anyway. */
    static final long MIN_WINDOW_NANOS = 50_000;
    /** How long an extension that failed (disk full) keeps the writer from trying again. */
    private static final long EXTENSION_RETRY_NANOS = 5_000_000_000L;

    private final Path directory;
    private final Path journalFile;
    private final Path compactingFile;
    private final JournalOptions options;
    private final ReadWriteLock lock;
    private final LeaseTable table;
    private final LinkedBlockingQueue<JournalTask> queue;
    private final Thread thread;
    private final SpaceReserve reserve;
    private final AtomicBoolean spaceCheckQueued = new AtomicBoolean();
    private final long groupWindowNanos;
    /** The window the writer will wait next: {@link #groupWindowNanos} or less, adapted to arrivals. */
    private long windowNanos;
    /** True while the writer is parked in a group window: {@link #submit} then wakes it when it should. */
    private volatile boolean windowOpen;
    /** While the window is open: how many queued tasks would fill the group. */
    private volatile int windowFullAt;

    // Owned by the writer thread.
    private FileChannel channel;
    private long position;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_GROUP_BYTES);
    /** How long the file is: the logical end plus the zeros written ahead of it. */
    private long allocatedEnd;
    private final ZeroFill zeroFill;
    private long nextExtensionAttempt;
    /** Whether the latest extension failed, so that a run of failures is logged at warn once. */
    private boolean extensionFailing;
    /** A failed truncate may have left bytes past {@link #position}; cut them before writing again. */
    private boolean tailDirty;
    /** Written by the compactor thread too, after a failure, to back off. */
    private volatile long nextCompactionCheck;
    private volatile Thread compactor;
    private volatile JournalCompactor compactorJob;

    // Read by other threads (metrics, health).
    private volatile long journalBytes;
    private volatile long fsyncCount;
    private volatile long lastFsyncNanos;
    private volatile long totalFsyncNanos;
    private volatile long maxFsyncNanos;
    private volatile int lastGroupSize;
    private volatile long preallocations;
    private volatile long windowsWaited;
    private volatile long groups;
    private volatile long writesCommitted;
    private volatile long writesFailed;
    private volatile long failures;
    private volatile long compactions;
    private volatile long lastSwitchOverNanos;
    private volatile boolean compacting;
    private volatile String failure;
    private volatile Instant failingSince;
    private volatile String lastCompactionProblem;
    private volatile boolean renewalsOnly;
    private long lastReserveAttempt;

    /**
     * @param position the logical end: where the next record goes
     * @param fileSize the file's length, past {@code position} when zeros were written ahead
     */
    JournalWriter(Path directory, Path journalFile, Path compactingFile, FileChannel channel, long position,
            long fileSize, JournalOptions options, ReadWriteLock lock, LeaseTable table,
            LinkedBlockingQueue<JournalTask> queue, SpaceReserve reserve) {
        this.directory = directory;
        this.journalFile = journalFile;
        this.compactingFile = compactingFile;
        this.channel = channel;
        this.position = position;
        this.allocatedEnd = Math.max(position, fileSize);
        this.journalBytes = position;
        this.groupWindowNanos = options.durability() == DurabilityPolicy.BATCH ? options.groupWindow().toNanos() : 0;
        this.windowNanos = groupWindowNanos;
        this.zeroFill = new ZeroFill(directory);
        this.options = options;
        this.lock = lock;
        this.table = table;
        this.queue = queue;
        this.reserve = reserve;
        this.thread = Thread.ofPlatform().daemon().name("lease-journal-writer").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a task for the writer; every producer (puts, deletes, close, the compactor) goes
     * through here, so that a writer waiting in a group window wakes as soon as its group is full
     * or a control task needs it.
     */
    void submit(JournalTask task) {
        queue.add(task);
        if (windowOpen && (!(task instanceof PendingWrite) || queue.size() >= windowFullAt)) {
            LockSupport.unpark(thread);
        }
    }

    /** Tells a running compaction to give up: at close (under the index's write lock), or when the disk fills. */
    void cancelCompaction() {
        JournalCompactor job = compactorJob;
        if (job != null) {
            job.cancel();
        }
    }

    /** Waits for the writer and any compaction to end, after a {@link Stop} was queued. */
    void awaitTermination() throws InterruptedException {
        thread.join();
        Thread running = compactor;
        if (running != null) {
            running.join();
        }
    }

    long journalBytes() { return journalBytes; }
    long fsyncCount() { return fsyncCount; }
    long lastFsyncNanos() { return lastFsyncNanos; }
    long totalFsyncNanos() { return totalFsyncNanos; }
    long maxFsyncNanos() { return maxFsyncNanos; }
    int lastGroupSize() { return lastGroupSize; }
    long preallocations() { return preallocations; }
    long windowsWaited() { return windowsWaited; }
    long groups() { return groups; }
    long writesCommitted() { return writesCommitted; }
    long writesFailed() { return writesFailed; }
    long compactions() { return compactions; }
    long lastSwitchOverNanos() { return lastSwitchOverNanos; }
    boolean compacting() { return compacting; }
    String failure() { return failure; }
    Instant failingSince() { return failingSince; }
    String lastCompactionProblem() { return lastCompactionProblem; }

    /** True after the disk filled and the reserve was spent, until it could be re-created. */
    boolean renewalsOnly() { return renewalsOnly; }

    /** Asks the writer to see whether space has returned; called under the index's write lock. */
    void requestSpaceCheck() {
        if (spaceCheckQueued.compareAndSet(false, true)) {
            submit(new CheckSpace());
        }
    }

    private void run() {
        List<JournalTask> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Nobody interrupts this thread on purpose; keep serving until a Stop arrives.
                continue;
            }
            queue.drainTo(batch, options.maxGroupWrites() - 1);
            if (groupWindowNanos > 0 && lastGroupSize >= WINDOW_AFTER_GROUP_OF) {
                awaitMoreWrites(batch);
            }
            boolean stop = process(batch);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    /**
     * The group window: adds writes to {@code batch} as they are queued, until the window has
     * passed since the call, the group is full (writes or bytes), or a control task arrives.
     */
    private void awaitMoreWrites(List<JournalTask> batch) {
        windowsWaited++;
        long opened = System.nanoTime();
        long deadline = opened + windowNanos;
        int max = options.maxGroupWrites();
        int scanned = 0;
        long bytes = 0;
        long lastArrival = opened;
        while (true) {
            for (; scanned < batch.size(); scanned++) {
                if (!(batch.get(scanned) instanceof PendingWrite write)) {
                    return;
                }
                bytes += write.record().length;
                lastArrival = Math.max(lastArrival, write.queuedAt());
            }
            if (batch.size() >= max || bytes >= MAX_GROUP_BYTES) {
                windowNanos = groupWindowNanos;
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                // Writes that stop coming early mean the callers are all in the group already.
                windowNanos = Math.clamp(2 * (lastArrival - opened), MIN_WINDOW_NANOS, groupWindowNanos);
                return;
            }
            // Records of one store are close in size, so the mean so far tells how many more fit.
            long meanRecord = Math.max(1, bytes / batch.size());
            windowFullAt = (int) Math.max(1, Math.min(max - batch.size(), (MAX_GROUP_BYTES - bytes) / meanRecord));
            windowOpen = true;
            // Drained after opening the window: a task queued from here on either is drained now or
            // sees the window open and wakes the thread, so none waits out the window unnoticed.
            if (queue.drainTo(batch, max - batch.size()) == 0) {
                LockSupport.parkNanos(this, left);
            }
            windowOpen = false;
            queue.drainTo(batch, max - batch.size());
        }
    }

    /** Runs one drained batch in order; returns whether it held the {@link Stop}. */
    private boolean process(List<JournalTask> batch) {
        List<PendingWrite> group = new ArrayList<>();
        long groupBytes = 0;
        boolean alwaysForce = options.durability() == DurabilityPolicy.ALWAYS;
        for (int i = 0; i < batch.size(); i++) {
            switch (batch.get(i)) {
                case null -> { /* failed along with an earlier group */ }
                case PendingWrite write -> {
                    int bytes = write.record().length;
                    if (!group.isEmpty() && groupBytes + bytes > MAX_GROUP_BYTES) {
                        commit(group, batch, i);
                        group = new ArrayList<>();
                        groupBytes = 0;
                        if (batch.get(i) == null) {
                            continue; // that group failed, and this write with it
                        }
                    }
                    group.add(write);
                    groupBytes += bytes;
                    if (alwaysForce) {
                        commit(group, batch, i + 1);
                        group = new ArrayList<>();
                        groupBytes = 0;
                    }
                }
                case SwitchOver switchOver -> {
                    commit(group, batch, i + 1);
                    group = new ArrayList<>();
                    groupBytes = 0;
                    switchOver(switchOver);
                }
                case CheckSpace check -> {
                    spaceCheckQueued.set(false);
                    tryToRestoreReserve();
                }
                case Stop stop -> {
                    commit(group, batch, i + 1);
                    stop(stop);
                    return true;
                }
            }
        }
        commit(group, batch, batch.size());
        return false;
    }

    /**
     * Writes and forces one group; on failure also fails the batch's later writes from
     * {@code next} on and everything queued.
     */
    private void commit(List<PendingWrite> group, List<JournalTask> batch, int next) {
        if (group.isEmpty()) {
            return;
        }
        long start = position;
        try {
            append(group, start);
        } catch (IOException | RuntimeException first) {
            if (!reserve.release()) {
                failGroup(group, batch, next, start, asIo(first));
                return;
            }
            renewalsOnly = true;
            lastReserveAttempt = System.nanoTime();
            // A snapshot being written would eat the space just freed for renewals.
            cancelCompaction();
            log.error("cannot write the lease journal {} ({}): released the {}-byte space reserve; only renewals"
                    + " of stored leases are accepted until space returns", journalFile, describe(asIo(first)),
                    options.reserveBytes());
            try {
                position = start;
                tailDirty = true;
                append(group, start);
            } catch (IOException | RuntimeException second) {
                failGroup(group, batch, next, start, asIo(second));
                return;
            }
        }
        lastGroupSize = group.size();
        groups++;
        writesCommitted += group.size();
        if (failure != null) {
            log.info("lease journal {} is writable again after failing since {}", journalFile, failingSince);
            failure = null;
            failingSince = null;
        }
        complete(() -> group.forEach(PendingWrite::succeed));
        if (renewalsOnly) {
            tryToRestoreReserve();
        } else {
            maybeStartCompaction();
        }
    }

    /** Writes the group at {@code start} and forces it per policy; moves {@link #position} on success. */
    private void append(List<PendingWrite> group, long start) throws IOException {
        if (tailDirty) {
            channel.truncate(start);
            tailDirty = false;
            allocatedEnd = start;
        }
        ByteBuffer out = bufferFor(group);
        preallocate(start + out.remaining());
        long at = start;
        while (out.hasRemaining()) {
            at += channel.write(out, at);
        }
        allocatedEnd = Math.max(allocatedEnd, at);
        // One force covers the zeros written ahead too: the size changes only in this group's.
        if (options.durability() != DurabilityPolicy.NONE) {
            force();
        }
        position = at;
        journalBytes = at;
    }

    /**
     * Extends the file by a chunk of zeros when fewer than half a chunk would remain ahead of a
     * group ending at {@code end}. Never throws: on a full disk the group is simply appended.
     */
    private void preallocate(long end) {
        long chunk = options.preallocationBytes();
        if (chunk == 0 || allocatedEnd - end >= chunk / 2 || renewalsOnly) {
            // Running on the reserve, the space it freed is for renewals, not for zeros.
            return;
        }
        long now = System.nanoTime();
        if (extensionFailing && now - nextExtensionAttempt < 0) {
            return;
        }
        long from = allocatedEnd;
        long to = Math.max(from, end) + chunk;
        try {
            zeroFill.extend(channel, from, to);
            allocatedEnd = to;
            preallocations++;
            if (extensionFailing) {
                extensionFailing = false;
                log.info("lease journal {}: extending the file ahead of its records works again", journalFile);
            }
        } catch (IOException | RuntimeException e) {
            nextExtensionAttempt = now + EXTENSION_RETRY_NANOS;
            if (!extensionFailing) {
                extensionFailing = true;
                log.warn("lease journal {}: cannot extend the file by {} bytes ahead of its records ({}); appending"
                        + " as it grows instead, and trying again every {} s", journalFile, chunk,
                        describe(asIo(e)), EXTENSION_RETRY_NANOS / 1_000_000_000L);
            } else {
                log.debug("lease journal {}: extending the file still fails: {}", journalFile, describe(asIo(e)));
            }
        }
    }

    private static IOException asIo(Exception e) {
        // A RuntimeException here is a bug, but failing the writes beats a writer thread that dies
        // and leaves every later put waiting forever.
        return e instanceof IOException io ? io : new IOException("unexpected " + e, e);
    }

    /** At most twice a second, tries to re-create the reserve; success ends renewals-only. */
    private void tryToRestoreReserve() {
        long now = System.nanoTime();
        if (!renewalsOnly || now - lastReserveAttempt < 500_000_000L) {
            return;
        }
        lastReserveAttempt = now;
        if (reserve.create()) {
            renewalsOnly = false;
            log.info("lease journal {}: space has returned (the reserve is back); accepting new leases again",
                    journalFile);
        }
    }

    private void force() throws IOException {
        long t0 = System.nanoTime();
        channel.force(false);
        long took = System.nanoTime() - t0;
        fsyncCount++;
        lastFsyncNanos = took;
        totalFsyncNanos += took;
        if (took > maxFsyncNanos) {
            maxFsyncNanos = took;
        }
    }

    private ByteBuffer bufferFor(List<PendingWrite> group) {
        int bytes = 0;
        for (PendingWrite write : group) {
            bytes += write.record().length;
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, buffer.capacity() * 2));
        }
        buffer.clear();
        for (PendingWrite write : group) {
            buffer.put(write.record());
        }
        return buffer.flip();
    }

    private void failGroup(List<PendingWrite> group, List<JournalTask> batch, int next, long start, IOException e) {
        failures++;
        position = start;
        try {
            // Zeros written ahead go too: the disk is likely full, and the next group extends again.
            channel.truncate(start);
            allocatedEnd = start;
        } catch (IOException truncateFailed) {
            tailDirty = true;
            e.addSuppressed(truncateFailed);
        }
        String reason = "cannot write the lease journal " + journalFile + ": " + describe(e);
        if (failure == null) {
            failingSince = Instant.now();
            log.error("{}; refusing new leases until a write succeeds again", reason, e);
        } else {
            log.warn("{} (still failing)", reason);
        }
        failure = reason;

        List<PendingWrite> failed = new ArrayList<>(group);
        lock.writeLock().lock();
        try {
            // Holding the lock, no write can be queued: everything behind this group fails with it,
            // and the index is rolled back newest first to what the journal holds.
            queue.drainTo(batch);
            for (int j = next; j < batch.size(); j++) {
                if (batch.get(j) instanceof PendingWrite write) {
                    failed.add(write);
                    batch.set(j, null);
                }
            }
            for (int k = failed.size() - 1; k >= 0; k--) {
                failed.get(k).undo(table);
            }
        } finally {
            lock.writeLock().unlock();
        }
        writesFailed += failed.size();
        complete(() -> failed.forEach(w -> w.fail(reason, e)));
    }

    /** Completes futures where {@link JournalOptions#completions()} says. */
    private void complete(Runnable completions) {
        switch (options.completions()) {
            case VIRTUAL_THREAD -> Thread.ofVirtual().name("lease-journal-completion").start(completions);
            case WRITER_THREAD -> {
                try {
                    completions.run();
                } catch (RuntimeException e) {
                    // A continuation's bug must not end the writer: every later put would wait forever.
                    log.error("a lease write's continuation failed on the journal writer", e);
                }
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private void stop(Stop stop) {
        try {
            if (failure == null) {
                // Even under NONE, a clean close leaves everything on disk.
                force();
            }
        } catch (IOException e) {
            log.warn("lease journal {}: final force failed: {}", journalFile, describe(e));
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("lease journal {}: close failed: {}", journalFile, describe(e));
        }
        stop.done().complete(null);
    }

    private void maybeStartCompaction() {
        if (compacting || position < nextCompactionCheck || position < options.compactionMinimumBytes()) {
            return;
        }
        long live;
        lock.readLock().lock();
        try {
            live = table.liveRecordBytes();
        } finally {
            lock.readLock().unlock();
        }
        if (position <= JournalReplay.FILE_HEADER_BYTES + live * options.compactionRatio()) {
            return;
        }
        compacting = true;
        JournalCompactor job = new JournalCompactor(compactingFile, lock, table, this::submit, position, failures,
                options.preallocationBytes());
        compactorJob = job;
        compactor = Thread.ofPlatform().daemon().name("lease-journal-compactor").start(() -> {
            String problem = job.run();
            if (problem != null) {
                compactionFailed(problem);
            }
        });
    }

    /** Called from the compactor thread when it gave up before handing a snapshot over. */
    private void compactionFailed(String problem) {
        lastCompactionProblem = problem;
        log.warn("lease journal {}: compaction abandoned: {}", journalFile, problem);
        long size = journalBytes;
        nextCompactionCheck = size + Math.max(options.compactionMinimumBytes(), size / 4);
        compacting = false;
    }

    private void switchOver(SwitchOver done) {
        long pauseStart = System.nanoTime();
        try {
            if (done.failuresAtStart() != failures) {
                abandon(done, "a write failed while the snapshot was taken");
                return;
            }
            // The records written while the snapshot was taken go behind it: replaying them over
            // the snapshot gives the current state whatever the snapshot caught of them.
            long tail = position - done.journalOffset();
            FileChannel target = done.channel();
            long copied = 0;
            while (copied < tail) {
                copied += channel.transferTo(done.journalOffset() + copied, tail - copied,
                        target.position(done.snapshotBytes() + copied));
            }
            target.force(false);
            Files.move(done.file(), journalFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long before = position;
            FileChannel old = channel;
            channel = target;
            position = done.snapshotBytes() + tail;
            journalBytes = position;
            // The compactor wrote zeros behind the snapshot; the tail may have outgrown them.
            allocatedEnd = Math.max(position, target.size());
            tailDirty = false;
            compactions++;
            lastCompactionProblem = null;
            closeQuietly(old);
            syncDirectory();
            lastSwitchOverNanos = System.nanoTime() - pauseStart;
            log.info("lease journal {} compacted from {} to {} bytes ({} bytes of tail copied; writes paused {} µs)",
                    journalFile, before, position, tail, lastSwitchOverNanos / 1000);
        } catch (IOException | RuntimeException e) {
            abandon(done, describe(asIo(e)));
        } finally {
            compacting = false;
        }
    }

    private void abandon(SwitchOver done, String problem) {
        // Back off: try again only once the journal has grown by another step.
        nextCompactionCheck = position + Math.max(options.compactionMinimumBytes(), position / 4);
        closeQuietly(done.channel());
        try {
            Files.deleteIfExists(done.file());
        } catch (IOException e) {
            problem += "; and the snapshot file could not be removed: " + describe(e);
        }
        lastCompactionProblem = problem;
        log.warn("lease journal {}: compaction abandoned: {}", journalFile, problem);
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.warn("lease journal {}: could not sync the directory after a rename: {}", journalFile, describe(e));
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more to do with a file we are letting go of.
        }
    }
}
