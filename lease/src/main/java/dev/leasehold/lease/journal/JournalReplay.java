package dev.leasehold.lease.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a journal file into a {@link LeaseTable} at start-up.
 *
 * <p>Where the records end: the writer keeps the file extended with zeros ahead of its records
 * ({@link JournalWriter}, preallocation), so only zero bytes from a record boundary to the end of
 * the file are a clean end. They are left in place for the writer to go on filling.
 *
 * <p>A bad record (impossible length, a zero header with data after it, a checksum mismatch) is
 * the torn tail of a crash, and is cut away with everything after it, when every non-zero byte
 * after its offset lies within {@link JournalWriter#MAX_GROUP_BYTES} of it. Why that rule: the
 * writer forces each group before it writes the next, and one write call holds at most that many
 * bytes, so a crash can tear only the last group, and a torn group is a mix of its new bytes and
 * the zeros that were there, in any order the disk happened to write its blocks, ending within
 * that reach. Cutting at the bad record means stale bytes of the torn group can never be read as
 * records later. Any other bad record is damage to data that was once durable, and fails with
 * {@link JournalCorruptedException} naming its offset. (A journal written under {@code NONE} and
 * then hit by a power cut may fail this way: nothing forced its groups in order.)
 */
final class JournalReplay {

    /** "LHJ" and a format version byte, then four reserved zero bytes. */
    static final byte[] MAGIC = {'L', 'H', 'J', 1, 0, 0, 0, 0};
    static final int FILE_HEADER_BYTES = MAGIC.length;
    private static final int BUFFER_BYTES = 4 << 20;

    /**
     * What replay found.
     *
     * @param validEnd the offset after the last good record: where appending resumes
     * @param records how many records were applied
     * @param tornOffset where a torn tail began, or -1 when the file ended cleanly
     * @param tornBytes how many bytes the torn tail held (to be truncated away)
     * @param tornReason why the tail record was rejected, or null
     */
    record Result(long validEnd, long records, long tornOffset, long tornBytes, String tornReason) {
        boolean torn() {
            return tornOffset >= 0;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final LeaseTable table;
    private final long fileSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    /** File offset of buffer position 0. */
    private long bufferStart;

    private JournalReplay(Path file, FileChannel channel, LeaseTable table) throws IOException {
        this.file = file;
        this.channel = channel;
        this.table = table;
        this.fileSize = channel.size();
    }

    /** Applies every good record of the file to {@code table}; the channel must be readable. */
    static Result replay(Path file, FileChannel channel, LeaseTable table) throws IOException {
        return new JournalReplay(file, channel, table).run();
    }

    private Result run() throws IOException {
        if (fileSize < FILE_HEADER_BYTES) {
            // Created but the header never reached the disk: an empty journal.
            return new Result(0, 0, fileSize == 0 ? -1 : 0, fileSize, fileSize == 0 ? null : "partial file header");
        }
        buffer.limit(0);
        fill(0, FILE_HEADER_BYTES);
        for (int i = 0; i < FILE_HEADER_BYTES; i++) {
            if (buffer.get(i) != MAGIC[i]) {
                throw new JournalCorruptedException(file, 0, "not a Leasehold lease journal (bad file header)");
            }
        }
        long offset = FILE_HEADER_BYTES;
        long records = 0;
        CRC32C crc = new CRC32C();
        while (offset < fileSize) {
            long remaining = fileSize - offset;
            if (remaining < LeaseCodec.RECORD_HEADER_BYTES) {
                return onlyZerosFrom(offset) ? cleanEnd(offset, records)
                        : badRecord(offset, records, "a record header cut short");
            }
            int at = fill(offset, LeaseCodec.RECORD_HEADER_BYTES);
            int length = buffer.getInt(at);
            int checksum = buffer.getInt(at + 4);
            if (length == 0 && checksum == 0 && onlyZerosFrom(offset + LeaseCodec.RECORD_HEADER_BYTES)) {
                return cleanEnd(offset, records);
            }
            if (length < LeaseCodec.DELETE_PAYLOAD_BYTES || length > LeaseCodec.MAX_PAYLOAD_BYTES) {
                return badRecord(offset, records, "impossible record length " + length);
            }
            long end = offset + LeaseCodec.RECORD_HEADER_BYTES + length;
            if (end > fileSize) {
                return badRecord(offset, records, "a record of " + length + " bytes runs past the end of the file");
            }
            at = fill(offset, LeaseCodec.RECORD_HEADER_BYTES + length);
            int payload = at + LeaseCodec.RECORD_HEADER_BYTES;
            crc.reset();
            crc.update(buffer.slice(payload, length));
            if ((int) crc.getValue() != checksum) {
                return badRecord(offset, records, "checksum mismatch");
            }
            String problem = apply(payload, length);
            if (problem != null) {
                throw new JournalCorruptedException(file, offset, problem);
            }
            records++;
            offset = end;
        }
        return cleanEnd(offset, records);
    }

    /** Decodes one payload into the table; returns what is wrong with it, or null. */
    private String apply(int at, int length) {
        byte kind = buffer.get(at);
        if (kind == LeaseCodec.KIND_DELETE) {
            if (length != LeaseCodec.DELETE_PAYLOAD_BYTES) {
                return "delete record of " + length + " bytes";
            }
            table.remove(buffer.getInt(at + 1));
            return null;
        }
        if (kind != LeaseCodec.KIND_PUT) {
            return "unknown record kind " + kind;
        }
        int identityLength = length - LeaseCodec.PUT_FIXED_BYTES;
        if (identityLength < LeaseCodec.MIN_IDENTITY_BYTES) {
            return "put record of " + length + " bytes";
        }
        int address = buffer.getInt(at + 1);
        int subnet = buffer.getInt(at + 5);
        byte state = buffer.get(at + 9);
        long startSecond = buffer.getLong(at + 10);
        int startNano = buffer.getInt(at + 18);
        long expiresSecond = buffer.getLong(at + 22);
        int expiresNano = buffer.getInt(at + 30);
        byte[] identity = new byte[identityLength];
        buffer.get(at + LeaseCodec.PUT_FIXED_BYTES, identity);
        if (LeaseCodec.stateOf(state) == null) {
            return "unknown lease state " + state;
        }
        if (startNano < 0 || startNano > 999_999_999 || expiresNano < 0 || expiresNano > 999_999_999) {
            return "nanoseconds out of range";
        }
        if (!LeaseCodec.isWellFormed(identity)) {
            return "malformed client id, hardware address or host name";
        }
        table.store(address, subnet, state, startSecond, startNano, expiresSecond, expiresNano, identity);
        return null;
    }

    /**
     * Decides between a torn tail and damage in the middle, for a bad record at {@code offset}:
     * torn when nothing but zeros lies further than one group write beyond it.
     */
    private Result badRecord(long offset, long records, String why) throws IOException {
        if (onlyZerosFrom(offset + JournalWriter.MAX_GROUP_BYTES)) {
            return torn(offset, records, why);
        }
        throw new JournalCorruptedException(file, offset, why + ", and data follows it further than one group"
                + " write reaches (" + JournalWriter.MAX_GROUP_BYTES + " bytes), so it is not a torn tail");
    }

    private boolean onlyZerosFrom(long from) throws IOException {
        ByteBuffer scan = ByteBuffer.allocate(64 << 10);
        long at = from;
        while (at < fileSize) {
            scan.clear();
            int n = channel.read(scan, at);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (scan.get(i) != 0) {
                    return false;
                }
            }
            at += n;
        }
        return true;
    }

    private static Result cleanEnd(long offset, long records) {
        return new Result(offset, records, -1, 0, null);
    }

    private Result torn(long offset, long records, String why) {
        return new Result(offset, records, offset, fileSize - offset, why);
    }

    /**
     * Makes {@code length} bytes from file offset {@code offset} available in the buffer and
     * returns their index in it, reading ahead as far as the buffer goes.
     */
    private int fill(long offset, int length) throws IOException {
        if (offset >= bufferStart && offset + length <= bufferStart + buffer.limit()) {
            return (int) (offset - bufferStart);
        }
        buffer.clear();
        bufferStart = offset;
        while (buffer.position() < length) {
            int n = channel.read(buffer, bufferStart + buffer.position());
            if (n < 0) {
                throw new IOException("lease journal " + file + " shrank while being read");
            }
        }
        buffer.flip();
        return 0;
    }
}
