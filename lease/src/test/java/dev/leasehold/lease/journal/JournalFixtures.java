package dev.leasehold.lease.journal;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Leases numbered n, and a way to find record boundaries in a journal file. */
final class JournalFixtures {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00.5Z");

    private JournalFixtures() {}

    static Ipv4Address address(int n) {
        return new Ipv4Address(0x0A000000 | n);
    }

    static ClientId client(int n) {
        return new ClientId(new byte[] {1, 0x02, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    static HardwareAddress mac(int n) {
        return new HardwareAddress(1, new byte[] {0x02, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    /** Client n's active lease on address n, ending {@code seconds} after {@link #T0}. */
    static Lease lease(int n, long seconds) {
        return new Lease(address(n), client(n), mac(n), 1, LeaseState.ACTIVE, T0, T0.plusSeconds(seconds), "host" + n);
    }

    /**
     * The offset of every record in the file, by walking the length prefixes (no checks) up to
     * the end of the file or a zero length (the zeros written ahead of the records).
     */
    static List<Long> recordOffsets(Path journal) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ)) {
            long size = channel.size();
            long at = JournalReplay.FILE_HEADER_BYTES;
            ByteBuffer length = ByteBuffer.allocate(4);
            while (at + 8 <= size) {
                length.clear();
                channel.read(length, at);
                if (length.getInt(0) == 0) {
                    break;
                }
                offsets.add(at);
                at += 8 + length.getInt(0);
            }
        }
        return offsets;
    }

    /** Where the records end, by walking the length prefixes: the offset after the last record. */
    static long recordsEnd(Path journal) throws IOException {
        List<Long> offsets = recordOffsets(journal);
        if (offsets.isEmpty()) {
            return JournalReplay.FILE_HEADER_BYTES;
        }
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ)) {
            ByteBuffer length = ByteBuffer.allocate(4);
            channel.read(length, offsets.getLast());
            return offsets.getLast() + LeaseCodec.RECORD_HEADER_BYTES + length.getInt(0);
        }
    }

    /** Whether every byte of the file from {@code offset} on is zero. */
    static boolean onlyZerosFrom(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(64 << 10);
            for (long at = offset; at < channel.size(); ) {
                block.clear();
                int n = channel.read(block, at);
                for (int i = 0; i < n; i++) {
                    if (block.get(i) != 0) {
                        return false;
                    }
                }
                at += n;
            }
        }
        return true;
    }

    /** Flips every bit of the byte at {@code offset}. */
    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) ~one.get(0));
            one.rewind();
            channel.write(one, offset);
        }
    }

    /** Writes {@code bytes} at {@code offset}, as a write into space the file already has would. */
    static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out, offset + out.position());
            }
        }
    }

    /** Appends at the end of the file (past any zeros written ahead of the records). */
    static void append(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(bytes));
        }
    }
}
