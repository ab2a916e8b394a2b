package dev.leasehold.lease.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of real (not sparse) zero bytes kept beside the journal, given back to the file system
 * when the disk fills so that renewals of leases already stored can still be written (issue 3:
 * "renewals of what is already stored keep working where possible"). Re-created once space
 * returns. Used by the writer thread only.
 */
final class SpaceReserve {

    private final Path file;
    private final long bytes;
    private boolean held;

    SpaceReserve(Path file, long bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    boolean held() {
        return held;
    }

    /**
     * Makes sure the reserve is on disk; returns whether it is. A failure (no space) leaves no
     * partial file behind.
     */
    boolean create() {
        if (bytes == 0) {
            return false;
        }
        try {
            if (Files.exists(file) && Files.size(file) == bytes) {
                held = true;
                return true;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(bytes, 64 << 10));
                long at = 0;
                while (at < bytes) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                    at += channel.write(zeros, at);
                }
                channel.force(true);
            }
            held = true;
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Nothing else to do: the next attempt truncates it anyway.
            }
            held = false;
            return false;
        }
    }

    /** Deletes the reserve to free its space; returns whether there was one to free. */
    boolean release() {
        if (!held) {
            return false;
        }
        held = false;
        try {
            Files.deleteIfExists(file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
