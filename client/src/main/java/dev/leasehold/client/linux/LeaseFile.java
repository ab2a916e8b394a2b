package dev.leasehold.client.linux;

import dev.leasehold.client.Binding;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.MalformedMessageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Keeps the current lease on disk so that a restarted client starts in INIT-REBOOT (RFC 2131
 * §3.2, §4.4.2) instead of asking for a new address. The file holds whose lease it is (the
 * interface, its MAC and the network namespace), the moment the lease's clock started and the
 * DHCPACK itself in hex: everything {@link Binding} is made of, in a form a person can read and a
 * later version can re-interpret.
 *
 * <pre>
 * interface=eth0
 * hardware=02:00:00:00:00:01
 * netns=4026531840
 * bound-at=2025-01-01T00:00:00Z
 * ack=0201060012345678…
 * </pre>
 *
 * A lease is loaded only by the interface, MAC and namespace that saved it: a same-named
 * interface in another namespace or with another MAC is another client on (probably) another
 * link, and asking for that lease would earn a DHCPNAK at best. The default file name carries the
 * same key ({@link #defaultPath}). Written to a temporary file and renamed, so a crash never
 * leaves half a lease behind.
 *
 * @param path     the file
 * @param owner    whose lease the file may hold
 */
public record LeaseFile(Path path, Owner owner) {

    /** Whose lease: the interface by name, its MAC (the chaddr the lease was granted to) and its namespace. */
    public record Owner(String interfaceName, HardwareAddress hardware, NetworkNamespace namespace) {
        String describe() {
            return namespace.qualify(interfaceName) + " (" + hardware + ")";
        }
    }

    /** Where lease files go by default. */
    public static final Path STATE_DIRECTORY = Path.of("/var/lib/leasehold");

    /** {@code DIR/client-IFACE-MAC.lease}, with {@code -NETNS} before the suffix outside the host's namespace. */
    public static Path defaultPath(Path directory, Owner owner) {
        String mac = HexFormat.of().formatHex(owner.hardware().bytes());
        return directory.resolve("client-" + owner.interfaceName() + "-" + mac
                + owner.namespace().name().map(n -> "-" + n).orElse("") + ".lease");
    }

    public void save(Binding binding) throws IOException {
        String text = "# leasehold client lease; delete to forget it\n"
                + "interface=" + owner.interfaceName() + "\n"
                + "hardware=" + owner.hardware() + "\n"
                + "netns=" + owner.namespace().inode() + "\n"
                + "bound-at=" + binding.boundAt() + "\n"
                + "ack=" + HexFormat.of().formatHex(DhcpCodec.encode(binding.ack())) + "\n";
        AtomicFile.write(path, text);
    }

    /**
     * The lease remembered for this owner; empty when there is no file, it is another owner's
     * ({@code why} is told), or it cannot be read (a damaged file is a reason to start afresh, not
     * to fail).
     */
    public Optional<Binding> load(java.util.function.Consumer<String> why) throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        String iface = p.getProperty("interface");
        String hardware = p.getProperty("hardware");
        String netns = p.getProperty("netns");
        String boundAt = p.getProperty("bound-at");
        String ack = p.getProperty("ack");
        if (boundAt == null || ack == null) {
            why.accept(path + " holds no lease; ignoring it");
            return Optional.empty();
        }
        if (!owner.interfaceName().equals(iface) || !owner.hardware().toString().equals(hardware)
                || !String.valueOf(owner.namespace().inode()).equals(netns)) {
            why.accept(path + " holds the lease of interface " + iface + " (" + hardware + ", netns " + netns
                    + "), not of " + owner.describe() + " (netns " + owner.namespace().inode() + "); ignoring it");
            return Optional.empty();
        }
        try {
            Binding b = Binding.from(DhcpCodec.decode(HexFormat.of().parseHex(ack.strip())), Instant.parse(boundAt.strip()));
            if (!b.ack().hardwareAddress().equals(owner.hardware())) {
                why.accept(path + " holds a DHCPACK for " + b.ack().hardwareAddress() + "; ignoring it");
                return Optional.empty();
            }
            return Optional.of(b);
        } catch (MalformedMessageException | DateTimeParseException | IllegalArgumentException e) {
            why.accept(path + " is damaged (" + e.getMessage() + "); ignoring it");
            return Optional.empty();
        }
    }

    public void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
