package dev.leasehold.client.linux;

import dev.leasehold.client.LeaseParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes the lease's resolver settings (options 6, 15 and 119) to a resolv.conf(5) file and puts
 * back what was there when the lease ends. The file is rewritten in place rather than replaced by
 * a rename, because /etc/resolv.conf is often a bind mount (ip netns exec, containers) or a
 * symlink that a rename would break.
 */
public final class ResolvConf {

    /** resolv.conf(5): the resolver uses at most three name servers (MAXNS) and six search domains. */
    static final int MAX_SERVERS = 3;
    static final int MAX_SEARCH = 6;

    private final Path file;
    private Optional<String> original = Optional.empty();

    public ResolvConf(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The file's content for {@code lease} on {@code interfaceName}. */
    public static String render(LeaseParameters lease, String interfaceName) {
        StringBuilder out = new StringBuilder("# written by leasehold client for " + interfaceName
                + " (lease from " + lease.serverId() + "); restored when the lease ends\n");
        if (!lease.effectiveSearch().isEmpty()) {
            out.append("search ").append(String.join(" ", lease.effectiveSearch().subList(0,
                    Math.min(MAX_SEARCH, lease.effectiveSearch().size())))).append('\n');
        }
        lease.dnsServers().stream().limit(MAX_SERVERS).forEach(s -> out.append("nameserver ").append(s).append('\n'));
        return out.toString();
    }

    /** Writes {@code lease}'s settings; the first write remembers the file's earlier content. A lease without DNS servers leaves the file alone. */
    public void write(LeaseParameters lease, String interfaceName) throws IOException {
        if (lease.dnsServers().isEmpty() && lease.effectiveSearch().isEmpty()) {
            return;
        }
        if (original.isEmpty()) {
            original = Optional.of(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "");
        }
        Files.writeString(file, render(lease, interfaceName), StandardCharsets.UTF_8);
    }

    /** Puts back the content from before the first write, if there was a write. */
    public void restore() throws IOException {
        if (original.isPresent()) {
            Files.writeString(file, original.get(), StandardCharsets.UTF_8);
            original = Optional.empty();
        }
    }
}
