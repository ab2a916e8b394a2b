package dev.leasehold.client.linux;

import dev.leasehold.client.Binding;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.MalformedMessageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Keeps the current lease on disk so that a restarted client starts in INIT-REBOOT (RFC 2131
 * §3.2, §4.4.2) instead of asking for a new address. The file holds the interface, the moment
 * the lease's clock started and the DHCPACK itself in hex: everything {@link Binding} is made of,
 * in a form a person can read and a later version can re-interpret.
 *
 * <pre>
 * interface=eth0
 * bound-at=2025-01-01T00:00:00Z
 * ack=0201060012345678…
 * </pre>
 *
 * Written to a temporary file and renamed, so a crash never leaves half a lease behind.
 */
public final class LeaseFile {

    private final Path file;

    public LeaseFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public void save(String interfaceName, Binding binding) throws IOException {
        String text = "# leasehold client lease; delete to forget it\n"
                + "interface=" + interfaceName + "\n"
                + "bound-at=" + binding.boundAt() + "\n"
                + "ack=" + HexFormat.of().formatHex(DhcpCodec.encode(binding.ack())) + "\n";
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The lease remembered for {@code interfaceName}; empty when there is no file, it is for
     * another interface, or it cannot be read (a damaged file is a reason to start afresh, not to fail).
     */
    public Optional<Binding> load(String interfaceName) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        String iface = p.getProperty("interface");
        String boundAt = p.getProperty("bound-at");
        String ack = p.getProperty("ack");
        if (!interfaceName.equals(iface) || boundAt == null || ack == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Binding.from(DhcpCodec.decode(HexFormat.of().parseHex(ack.strip())), Instant.parse(boundAt.strip())));
        } catch (MalformedMessageException | DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
