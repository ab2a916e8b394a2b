package dev.leasehold.lease.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Extends a journal file with written zeros (not a sparse hole, and not {@code fallocate}'s
 * unwritten extents): later writes into that space overwrite blocks the file already owns, so
 * forcing them need not commit a new file size or convert extents. Replay reads zeros after the
 * last record as a clean end ({@link JournalReplay}). Used by one thread at a time.
 */
final class ZeroFill {

    private static final int BUFFER_BYTES = 64 << 10;
    /**
     * Extend only while the disk has this many times the extension free: zeros written until the
     * disk is full, even if cut back at once, would fail other writers on it meanwhile.
     */
    static final int HEADROOM_FACTOR = 4;

    private final Path folder;
    private ByteBuffer zeros;

    /** @param folder where the files to extend live, to ask its file system for free space */
    ZeroFill(Path folder) {
        this.folder = folder;
    }

    /**
     * Writes zeros over {@code [from, to)}. Refuses (IOException) when the disk has less than
     * {@value #HEADROOM_FACTOR} times that free. On failure (a full disk, typically) cuts the file
     * back to {@code from}, so a failed extension holds on to no space, and rethrows.
     */
    void extend(FileChannel channel, long from, long to) throws IOException {
        long free = Files.getFileStore(folder).getUsableSpace();
        if (free < HEADROOM_FACTOR * (to - from)) {
            throw new IOException("only " + free + " bytes free on its disk");
        }
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
