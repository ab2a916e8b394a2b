package dev.leasehold.client.linux;

import dev.leasehold.client.LeaseParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where a lease's resolver settings (options 6, 15, 119) go, chosen by what the system has, as
 * dhcpcd's hooks do: systemd-resolved (through {@code resolvectl}) when it runs, else
 * resolvconf(8) (Debian's resolvconf or openresolv) when installed, else /etc/resolv.conf itself.
 * One resolver serves every interface of the process; each call names the interface.
 */
public sealed interface Resolver permits ResolvConfFile, Resolver.Resolvconf, Resolver.Resolvectl, Resolver.None {

    /** How long resolvconf or resolvectl may take. */
    Duration TIMEOUT = Duration.ofSeconds(10);

    /** Uses {@code lease}'s settings for {@code interfaceName} (replacing that interface's earlier ones). */
    void apply(String interfaceName, LeaseParameters lease) throws IOException;

    /** Stops using {@code interfaceName}'s settings (the lease ended). */
    void remove(String interfaceName) throws IOException;

    /** What it writes to, for the log. */
    String describe();

    /**
     * The resolver for a {@code --resolv-conf} setting: {@code none}; {@code auto} (the default:
     * systemd-resolved, else resolvconf(8), else /etc/resolv.conf); {@code resolvectl};
     * {@code resolvconf}; or a file path.
     *
     * @param onPath          whether a command is on PATH
     * @param resolvedRunning whether systemd-resolved runs (its /run/systemd/resolve exists)
     */
    static Resolver choose(String setting, CommandRunner commands, Predicate<String> onPath, boolean resolvedRunning) {
        return switch (setting) {
            case "none" -> new None();
            case "resolvectl" -> new Resolvectl(commands);
            case "resolvconf" -> new Resolvconf(commands);
            case "auto" -> resolvedRunning && onPath.test("resolvectl") ? new Resolvectl(commands)
                    : onPath.test("resolvconf") ? new Resolvconf(commands)
                    : new ResolvConfFile(Path.of("/etc/resolv.conf"));
            default -> new ResolvConfFile(Path.of(setting));
        };
    }

    /** {@link #choose} with this machine's PATH and /run/systemd/resolve. */
    static Resolver choose(String setting, CommandRunner commands) {
        List<Path> path = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .split(":")).filter(p -> !p.isEmpty()).map(Path::of).toList();
        return choose(setting, commands, command -> path.stream().anyMatch(dir -> Files.isExecutable(dir.resolve(command))),
                Files.isDirectory(Path.of("/run/systemd/resolve")));
    }

    /** Nothing is written (DNS is left to the hook or to the operator). */
    record None() implements Resolver {
        @Override
        public void apply(String interfaceName, LeaseParameters lease) {
        }

        @Override
        public void remove(String interfaceName) {
        }

        @Override
        public String describe() {
            return "nothing (DNS left to the hook)";
        }
    }

    /**
     * resolvconf(8): {@code resolvconf -a IFACE.leasehold} with resolv.conf lines on standard input,
     * {@code resolvconf -d IFACE.leasehold} at the end; resolvconf merges all interfaces and keeps
     * the original itself.
     */
    record Resolvconf(CommandRunner commands) implements Resolver {
        @Override
        public void apply(String interfaceName, LeaseParameters lease) throws IOException {
            check(commands.run(List.of("resolvconf", "-a", interfaceName + ".leasehold"), Map.of(),
                    ResolvConfFile.lines(List.of(lease)), TIMEOUT), "resolvconf -a");
        }

        @Override
        public void remove(String interfaceName) throws IOException {
            check(commands.run(List.of("resolvconf", "-d", interfaceName + ".leasehold"), Map.of(),
                    TIMEOUT), "resolvconf -d");
        }

        @Override
        public String describe() {
            return "resolvconf(8)";
        }
    }

    /** systemd-resolved: per-link servers and domains through {@code resolvectl dns|domain IFACE …}, {@code revert} at the end. */
    record Resolvectl(CommandRunner commands) implements Resolver {
        @Override
        public void apply(String interfaceName, LeaseParameters lease) throws IOException {
            List<String> dns = new ArrayList<>(List.of("resolvectl", "dns", interfaceName));
            lease.dnsServers().forEach(s -> dns.add(s.toString()));
            check(commands.run(dns, Map.of(), TIMEOUT), "resolvectl dns");
            List<String> domain = new ArrayList<>(List.of("resolvectl", "domain", interfaceName));
            domain.addAll(lease.effectiveSearch());
            check(commands.run(domain, Map.of(), TIMEOUT), "resolvectl domain");
        }

        @Override
        public void remove(String interfaceName) throws IOException {
            check(commands.run(List.of("resolvectl", "revert", interfaceName), Map.of(), TIMEOUT),
                    "resolvectl revert");
        }

        @Override
        public String describe() {
            return "systemd-resolved (resolvectl)";
        }
    }

    private static void check(CommandRunner.Result r, String what) throws IOException {
        if (!r.succeeded()) {
            throw new IOException(what + " failed (" + r.exitCode() + "): " + r.output().strip());
        }
    }
}
