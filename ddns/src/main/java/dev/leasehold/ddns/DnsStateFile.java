package dev.leasehold.ddns;

import dev.leasehold.wire.Ipv4Address;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The updater's memory of what it put into DNS, kept in {@code ddns-state} in the server's data
 * directory (apart from the lease journal, whose records it does not change): one text line per
 * change, synced before the update it announces is sent, rewritten without its history at open
 * and when it has grown to several lines per address. A restart therefore knows every record it
 * may have to remove. A line torn by a crash is skipped at open. Owned by the updater thread.
 */
final class DnsStateFile implements AutoCloseable {

    static final String FILE_NAME = "ddns-state";
    private static final String HEADER = "# leasehold ddns state 1: address wanted published status changed detail";
    private static final Logger log = LoggerFactory.getLogger(DnsStateFile.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Path file;
    private FileChannel channel;
    private BufferedWriter writer;
    private long lines;

    private DnsStateFile(Path file) {
        this.file = file;
    }

    /** Opens the file in {@code directory}, compacting it, and answers the entries it held. */
    static DnsStateFile open(Path directory, Map<Ipv4Address, DnsEntry> into) throws IOException {
        Files.createDirectories(directory);
        DnsStateFile state = new DnsStateFile(directory.resolve(FILE_NAME));
        if (Files.exists(state.file)) {
            List<String> all = Files.readAllLines(state.file, StandardCharsets.UTF_8);
            for (int i = 0; i < all.size(); i++) {
                String line = all.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                try {
                    DnsEntry e = decode(line);
                    into.put(e.address(), e);
                } catch (RuntimeException e) {
                    log.warn("{} line {} is damaged and skipped ({}): {}", state.file, i + 1, e.getMessage(), line);
                }
            }
        }
        into.values().removeIf(e -> e.wanted() == null && e.published() == null);
        state.rewrite(into.values());
        return state;
    }

    /** Appends one entry's new state and syncs it. */
    void write(DnsEntry entry) throws IOException {
        writer.write(encode(entry));
        writer.newLine();
        writer.flush();
        channel.force(false);
        lines++;
    }

    /** Rewrites the file with only {@code current} when it has grown well past it. */
    void compactIfLarge(Iterable<DnsEntry> current, int count) throws IOException {
        if (lines > 4L * count + 1_000) {
            rewrite(current);
        }
    }

    private void rewrite(Iterable<DnsEntry> current) throws IOException {
        close();
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        long n = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(
                     Channels.newOutputStream(out), StandardCharsets.UTF_8))) {
            w.write(HEADER);
            w.newLine();
            for (DnsEntry e : current) {
                if (e.wanted() != null || e.published() != null) {
                    w.write(encode(e));
                    w.newLine();
                    n++;
                }
            }
            w.flush();
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        OutputStream os = Channels.newOutputStream(channel);
        writer = new BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8));
        lines = n;
    }

    static String encode(DnsEntry e) {
        return e.address() + "\t" + encode(e.wanted()) + "\t" + encode(e.published()) + "\t" + e.status().name()
                + "\t" + e.changed().getEpochSecond() + "\t" + e.detail().replaceAll("[\\t\\r\\n]", " ");
    }

    private static String encode(Registration r) {
        if (r == null) {
            return "-";
        }
        return r.fqdn() + "|" + (r.forward() ? "F" : "") + (r.reverse() ? "R" : "") + "|" + r.identifierHex() + "|"
                + r.clientId() + "|" + r.subnetId();
    }

    static DnsEntry decode(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("expected 6 fields, found " + f.length);
        }
        Ipv4Address address = Ipv4Address.parse(f[0]);
        return new DnsEntry(address, registration(address, f[1]), registration(address, f[2]),
                DnsEntry.Status.valueOf(f[3]), f[5], Instant.ofEpochSecond(Long.parseLong(f[4])));
    }

    private static Registration registration(Ipv4Address address, String text) {
        if (text.equals("-")) {
            return null;
        }
        String[] p = text.split("\\|", -1);
        if (p.length != 5 || p[0].isEmpty()) {
            throw new IllegalArgumentException("not a registration: " + text);
        }
        return new Registration(address, p[0], p[1].contains("F"), p[1].contains("R"), HEX.parseHex(p[2]), p[3],
                Integer.parseInt(p[4]));
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
            channel = null;
        }
    }
}
