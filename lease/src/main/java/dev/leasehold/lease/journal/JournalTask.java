package dev.leasehold.lease.journal;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Work for the journal's writer thread, queued in the order the index saw it. */
sealed interface JournalTask {

    /**
     * A record already applied to the index, waiting to become durable. If the write fails,
     * {@link #undo} puts back the row it replaced so that the index matches the journal again.
     */
    sealed interface PendingWrite extends JournalTask {
        byte[] record();

        /** {@link System#nanoTime()} when it was queued: tells the writer how its group window is used. */
        long queuedAt();

        void undo(LeaseTable table);

        void succeed();

        void fail(String reason, IOException cause);
    }

    /** @param previous the row the put replaced, or null when the address had none */
    record PutWrite(byte[] record, Lease lease, LeaseRow previous, CompletableFuture<PutResult> future, long queuedAt)
            implements PendingWrite {
        @Override
        public void undo(LeaseTable table) {
            restore(table, lease.address().bits(), previous);
        }

        @Override
        public void succeed() {
            future.complete(new PutResult.Stored(lease));
        }

        @Override
        public void fail(String reason, IOException cause) {
            future.complete(new PutResult.Failed(reason, cause));
        }
    }

    /** @param previous the row the delete removed */
    record DeleteWrite(byte[] record, int address, LeaseRow previous, CompletableFuture<Boolean> future,
            long queuedAt) implements PendingWrite {
        @Override
        public void undo(LeaseTable table) {
            restore(table, address, previous);
        }

        @Override
        public void succeed() {
            future.complete(true);
        }

        @Override
        public void fail(String reason, IOException cause) {
            future.completeExceptionally(new IOException(reason, cause));
        }
    }

    /**
     * A finished snapshot, to be completed and swapped in by the writer: it copies the journal's
     * records from {@code journalOffset} on (written while the snapshot was taken) behind the
     * snapshot, then renames the file over the journal.
     *
     * @param file the snapshot file, still under its temporary name
     * @param channel the open snapshot file, handed over to the writer
     * @param snapshotBytes where the snapshot, and the part of the tail the compactor copied, end in it
     * @param journalOffset the journal offset from which the writer still has to copy records
     * @param failuresAtStart the writer's failure count then: a failed write since means the
     *     snapshot may hold a row that was rolled back, so it is thrown away
     */
    record SwitchOver(Path file, FileChannel channel, long snapshotBytes, long journalOffset, long failuresAtStart)
            implements JournalTask {}

    /** Running on the space reserve and a new lease was refused: see whether space has returned. */
    record CheckSpace() implements JournalTask {}

    /** Close: write what is queued, force it, close the file, then complete {@code done}. */
    record Stop(CompletableFuture<Void> done) implements JournalTask {}

    private static void restore(LeaseTable table, int address, LeaseRow previous) {
        if (previous == null) {
            table.remove(address);
        } else {
            table.store(previous);
        }
    }
}
