package dev.leasehold.lease.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Extends a journal file with written zeros (not a sparse hole, and not {@code fallocate}'s
 * unwritten extents): later writes into that space overwrite blocks the file already owns, so
 * forcing them need not commit a new file size or convert extents. Replay reads zeros after the
 * last record as a clean end ({@link JournalReplay}). Used by one thread at a time.
 */
final class ZeroFill {

    private static final int BUFFER_BYTES = 64 << 10;

    private ByteBuffer zeros;

    /**
     * Writes zeros over {@code [from, to)}. On failure (a full disk, typically) cuts the file back
     * to {@code from}, so a failed extension holds on to no space, and rethrows.
     */
    void extend(FileChannel channel, long from, long to) throws IOException {
        if (zeros == null) {
            zeros = ByteBuffer.allocateDirect(BUFFER_BYTES);
        }
        long at = from;
        try {
            while (at < to) {
                zeros.clear().limit((int) Math.min(BUFFER_BYTES, to - at));
                at += channel.write(zeros, at);
            }
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(from);
            } catch (IOException truncateFailed) {
                // Zeros past the last record are a clean end, so leaving them is harmless.
                e.addSuppressed(truncateFailed);
            }
            throw e;
        }
    }
}
