package dev.leasehold.client.linux;

import dev.leasehold.client.LeaseParameters;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes resolver settings straight into a resolv.conf(5) file, for systems with neither
 * systemd-resolved nor resolvconf(8), and puts the file's earlier content back when the last
 * lease ends.
 *
 * <p>The earlier content is kept in {@code FILE.leasehold-saved}, written once (atomically) before
 * the first change and deleted after the restore. A restarted client (after {@code kill -9} or a
 * crash) finds that copy and keeps it, so it never mistakes its own servers for the original; a
 * file that already carries Leasehold's header without a saved copy is not saved either. The
 * servers and search domains of every interface of the process are merged (first interface
 * first). The file itself is rewritten in place, since /etc/resolv.conf is often a bind mount
 * ({@code ip netns exec}, containers) or a symlink that a rename would break.
 *
 * <p>Thread-safe: several interfaces' client threads share one instance.
 */
public final class ResolvConfFile implements Resolver {

    /** resolv.conf(5): the resolver uses at most three name servers (MAXNS) and six search domains. */
    static final int MAX_SERVERS = 3;
    static final int MAX_SEARCH = 6;
    static final String HEADER = "# written by leasehold client";

    private final Path file;
    private final Path saved;
    private final Map<String, LeaseParameters> leases = new LinkedHashMap<>();

    public ResolvConfFile(Path file) {
        this.file = file;
        this.saved = file.resolveSibling(file.getFileName() + ".leasehold-saved");
    }

    public Path file() {
        return file;
    }

    /** Where the content from before the first lease is kept until it is put back. */
    public Path savedCopy() {
        return saved;
    }

    @Override
    public synchronized void apply(String interfaceName, LeaseParameters lease) throws IOException {
        if (lease.dnsServers().isEmpty() && lease.effectiveSearch().isEmpty()) {
            remove(interfaceName); // nothing to say for this interface; others may still have settings
            return;
        }
        leases.put(interfaceName, lease);
        saveOriginalOnce();
        Files.writeString(file, render(leases.keySet(), leases.values()), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void remove(String interfaceName) throws IOException {
        if (leases.remove(interfaceName) == null) {
            return;
        }
        if (!leases.isEmpty()) {
            Files.writeString(file, render(leases.keySet(), leases.values()), StandardCharsets.UTF_8);
        } else if (Files.exists(saved)) {
            Files.writeString(file, Files.readString(saved, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            Files.delete(saved);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private void saveOriginalOnce() throws IOException {
        if (Files.exists(saved)) {
            return; // kept by us before a crash or by another interface: that is the original
        }
        String current = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        // Our own header without a saved copy: a version that kept no copy wrote it; it is not an original.
        AtomicFile.write(saved, current.startsWith(HEADER) ? "" : current);
    }

    /** The file's content for the given interfaces' leases. */
    static String render(Collection<String> interfaces, Collection<LeaseParameters> leases) {
        StringBuilder from = new StringBuilder();
        for (LeaseParameters l : leases) {
            from.append(from.isEmpty() ? "" : ", ").append(l.serverId());
        }
        return HEADER + " for " + String.join(", ", interfaces) + " (leases from " + from
                + "); the earlier content comes back when the leases end\n" + lines(leases);
    }

    /** The search and nameserver lines for {@code leases}, within resolv.conf(5)'s limits. */
    static String lines(Collection<LeaseParameters> leases) {
        Set<String> search = new LinkedHashSet<>();
        Set<Ipv4Address> servers = new LinkedHashSet<>();
        for (LeaseParameters l : leases) {
            search.addAll(l.effectiveSearch());
            servers.addAll(l.dnsServers());
        }
        StringBuilder out = new StringBuilder();
        if (!search.isEmpty()) {
            out.append("search ").append(String.join(" ", new ArrayList<>(search).subList(0, Math.min(MAX_SEARCH, search.size()))))
                    .append('\n');
        }
        servers.stream().limit(MAX_SERVERS).forEach(s -> out.append("nameserver ").append(s).append('\n'));
        return out.toString();
    }
}
