package dev.leasehold.lease.journal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A journal that cannot be trusted: a record that fails its checksum or its layout with valid
 * records after it, so it is not the torn tail of a crash but damage to data that was once
 * durable. The store refuses to open rather than silently drop leases; the offset tells an
 * operator where to look (and where to cut, if they decide to).
 */
public final class JournalCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public JournalCorruptedException(Path file, long offset, String problem) {
        super("lease journal " + file + " is corrupt at offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The byte offset of the first bad record in the file. */
    public long offset() {
        return offset;
    }
}
