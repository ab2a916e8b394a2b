package dev.leasehold.lease.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Consumer;

/**
 * Writes a snapshot of the live leases to a new file, off the writer thread, and hands it to the
 * writer to finish ({@link JournalTask.SwitchOver}).
 *
 * <p>Why puts are never blocked for long: the snapshot is taken in chunks of about a megabyte,
 * each under the index's read lock for about a millisecond; puts go on being written to the old
 * journal meanwhile. The snapshot is therefore not one instant's picture, but every change it may
 * have half caught was written to the old journal after the offset where it started, and the
 * writer copies those records behind the snapshot before the switch, so replay ends in the
 * present state (a put or delete applied twice is the same as once). The only pause is the
 * writer copying that tail and renaming, a few milliseconds.
 *
 * <p>The snapshot file is extended with zeros behind its records before it is forced, as the
 * writer does for the journal ({@link ZeroFill}), so the first groups written after the switch
 * do not grow the file; if the disk has no room for that, the snapshot goes without.
 */
final class JournalCompactor {

    private static final int CHUNK_BYTES = 1 << 20;

    private final Path file;
    private final ReadWriteLock lock;
    private final LeaseTable table;
    private final Consumer<JournalTask> submit;
    private final long journalOffset;
    private final long failuresAtStart;
    private final long preallocationBytes;
    private volatile boolean cancelled;

    /** @param submit queues a task for the writer ({@link JournalWriter#submit}) */
    JournalCompactor(Path file, ReadWriteLock lock, LeaseTable table, Consumer<JournalTask> submit,
            long journalOffset, long failuresAtStart, long preallocationBytes) {
        this.file = file;
        this.lock = lock;
        this.table = table;
        this.submit = submit;
        this.journalOffset = journalOffset;
        this.failuresAtStart = failuresAtStart;
        this.preallocationBytes = preallocationBytes;
    }

    void cancel() {
        cancelled = true;
    }

    /** Writes the snapshot and queues its switch-over; returns why it gave up, or null. */
    String run() {
        FileChannel out = null;
        try {
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
            chunk.put(JournalReplay.MAGIC);
            long written = 0;
            int slot = 0;
            boolean done = false;
            while (!done) {
                if (cancelled) {
                    return discard(out, "cancelled (the store is closing or the disk filled)");
                }
                lock.readLock().lock();
                try {
                    slot = table.encodeSlots(slot, chunk);
                    done = slot >= table.slotLimit();
                } finally {
                    lock.readLock().unlock();
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    written += out.write(chunk, written);
                }
                chunk.clear();
            }
            if (preallocationBytes > 0) {
                try {
                    new ZeroFill(file.toAbsolutePath().getParent()).extend(out, written, written + preallocationBytes);
                } catch (IOException noRoom) {
                    // Cut back already; the writer extends the journal later, or appends.
                }
            }
            // Forced here, not by the writer, so that the writer's pause covers only the tail.
            out.force(false);
            lock.writeLock().lock();
            try {
                if (cancelled) {
                    return discard(out, "cancelled (the store is closing or the disk filled)");
                }
                submit.accept(new JournalTask.SwitchOver(file, out, written, journalOffset, failuresAtStart));
            } finally {
                lock.writeLock().unlock();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return discard(out, "cannot write the snapshot " + file + ": " + e);
        }
    }

    private String discard(FileChannel out, String why) {
        try {
            if (out != null) {
                out.close();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            return why + "; and removing " + file + " failed: " + e;
        }
        return why;
    }
}
