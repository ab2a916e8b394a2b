package dev.leasehold.testkit.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can run a lab: root, a working {@code ip netns}, and the named binaries.
 * Returns a reason rather than throwing, so JUnit tests can turn it into a skip
 * ({@code Assumptions.abort(reason)}) and non-test tools into an error message.
 */
public final class LabRequirements {

    private static final List<String> SEARCH_PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private LabRequirements() {
    }

    /** Empty when a lab can be built and every binary is present; else why not, saying what to install. */
    public static Optional<String> unmetReason(String... binaries) {
        if (!"root".equals(System.getProperty("user.name")) && !isUidZero()) {
            return Optional.of("network-namespace tests need root (running as " + System.getProperty("user.name") + ")");
        }
        if (findBinary("ip").isEmpty()) {
            return Optional.of("network-namespace tests need `ip` (Debian package iproute2)");
        }
        List<String> missing = new ArrayList<>();
        for (String binary : binaries) {
            if (findBinary(binary).isEmpty()) {
                missing.add(binary);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("missing binaries " + missing + " (run .ci/run as root to install the Debian packages)");
        }
        Optional<String> confined = enforcedAppArmorProfile(binaries);
        if (confined.isPresent()) {
            return confined;
        }
        return netnsUsable();
    }

    /**
     * Debian's AppArmor profiles for kea-dhcp4, dhcpd, dhclient and tcpdump allow only system
     * paths, while the lab keeps every run's files in its own temp directory; confined, those
     * binaries fail in ways that look like protocol bugs. Say so instead.
     */
    private static Optional<String> enforcedAppArmorProfile(String... binaries) {
        Path profiles = Path.of("/sys/kernel/security/apparmor/profiles");
        if (!Files.isReadable(profiles)) {
            return Optional.empty();
        }
        try {
            List<String> loaded = Files.readAllLines(profiles);
            for (String binary : binaries) {
                for (String profile : loaded) {
                    String name = profile.replaceFirst("\\s*\\((enforce|complain|kill|unconfined)\\)$", "");
                    if (profile.endsWith("(enforce)") && (name.equals(binary) || name.endsWith("/" + binary))) {
                        return Optional.of("AppArmor enforces profile '" + name + "' on " + binary
                                + ", which confines its files to system paths; .ci/run unloads it"
                                + " (or run: aa-complain " + binary + ")");
                    }
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The binary's path on PATH or in the usual sbin directories, which a non-login root shell may not have on PATH. */
    public static Optional<Path> findBinary(String name) {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(":")));
        }
        directories.addAll(SEARCH_PATH);
        return directories.stream()
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static boolean isUidZero() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates and deletes a throw-away namespace: containers often deny it even to root. */
    private static Optional<String> netnsUsable() {
        // Named like a lab's namespace, so that a probe left by a killed JVM is removed as stale.
        // A random suffix: two checks at the same moment in one JVM must not collide.
        String probe = new LabNames(ProcessHandle.current().pid(),
                String.format("%06x", java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24))).namespace("probe");
        try {
            CommandResult add = Commands.run(Duration.ofSeconds(10), "ip", "netns", "add", probe);
            if (!add.succeeded()) {
                return Optional.of("`ip netns add` fails here: " + add.output().strip());
            }
            CommandResult exec = Commands.run(Duration.ofSeconds(10), "ip", "netns", "exec", probe, "ip", "link", "set", "lo", "up");
            if (!exec.succeeded()) {
                return Optional.of("`ip netns exec` fails here: " + exec.output().strip());
            }
            return Optional.empty();
        } catch (LabException e) {
            return Optional.of("`ip netns` unusable: " + e.getMessage());
        } finally {
            Commands.run(Duration.ofSeconds(10), "ip", "netns", "del", probe);
        }
    }
}
