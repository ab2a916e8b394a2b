package dev.leasehold.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian package on a real machine: {@code dpkg -i}, the installed command validates the
 * shipped configuration, serves on loopback as the {@code leasehold} user, reloads on SIGHUP,
 * stops cleanly on SIGTERM, refuses port 67 without the capability naming it; a reinstall keeps
 * an edited conffile; {@code dpkg --purge} leaves nothing behind. Needs root and dpkg (CI has
 * both); skipped elsewhere, and where a leasehold package or user is already present.
 */
class PackageInstallIT {

    private static final Path DEB = Path.of(System.getProperty("leasehold.deb", "target/missing.deb"));
    private static final Path CONFFILE = Path.of("/etc/leasehold/leasehold.yaml");
    /** The issue's budget for an idle server with one /24 (the default, small JVM profile). */
    private static final long MAX_IDLE_RSS_KIB = 96 * 1024;

    @BeforeAll
    static void onlyAsRootWithDpkgOnACleanMachine() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Debian packages need Linux");
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root; skipped");
        assumeTrue(Shell.onPath("dpkg") && Shell.onPath("setpriv"), "needs dpkg and setpriv (util-linux); skipped");
        assumeTrue(Shell.run("dpkg-query", "-W", "-f=${Status}", "leasehold").output().contains("not-installed")
                        || Shell.run("dpkg-query", "-W", "leasehold").code() != 0,
                "a leasehold package is installed on this machine already; not touching it");
        assumeTrue(Shell.run("getent", "passwd", "leasehold").code() != 0 && !Files.exists(Path.of("/usr/bin/leasehold")),
                "a leasehold user or /usr/bin/leasehold exists already; not touching them");
        assertThat(DEB).as("the package built by this module").exists();
    }

    @Test
    void installsServesStopsCleanlyUpgradesAndPurgesWithoutTrace() throws Exception {
        // Several worktrees may run ./run-tests on one machine at once: one package test at a time.
        try (FileChannel lock = FileChannel.open(Path.of("/tmp/leasehold-package-it.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            assertThat(held.isValid()).isTrue();
            assumeTrue(Shell.run("getent", "passwd", "leasehold").code() != 0,
                    "another run installed the package meanwhile and left it; not touching it");
            installRunAndPurge();
        }
    }

    private static void installRunAndPurge() throws Exception {
        try {
            dpkg("-i", DEB.toString());
            installedLayoutIsThePromisedOne();
            Shell.run("/usr/bin/leasehold", "check-config", CONFFILE.toString()).expect(0, "check-config of the shipped file");

            Path work = Files.createTempDirectory(Path.of("/var/lib/leasehold"), "it-");
            Shell.run("chown", "-R", "leasehold:leasehold", work.toString()).expect(0, "chown");
            servesAsTheServiceUserWithinTheFootprint(work);
            reportsTheSameVersionThroughItsApiAsOnTheCommandLine(work);
            refusesPort67WithoutTheCapabilityAndNamesIt(work);

            // An upgrade (here: the same package again) keeps the operator's edit of the conffile.
            Files.writeString(CONFFILE, Files.readString(CONFFILE) + "# edited by the operator\n");
            dpkg("-i", "--force-confold", DEB.toString());
            assertThat(Files.readString(CONFFILE)).endsWith("# edited by the operator\n");
        } finally {
            dpkg("--purge", "leasehold");
        }
        for (String path : List.of("/usr/lib/leasehold", "/usr/bin/leasehold", "/etc/leasehold", "/etc/default/leasehold",
                "/var/lib/leasehold", "/lib/systemd/system/leasehold.service")) {
            assertThat(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)).as("%s after purge", path).isFalse();
        }
        assertThat(Shell.run("getent", "passwd", "leasehold").code()).as("user after purge").isNotZero();
        assertThat(Shell.run("getent", "group", "leasehold").code()).as("group after purge").isNotZero();
    }

    private static void installedLayoutIsThePromisedOne() throws Exception {
        assertThat(Files.readSymbolicLink(Path.of("/usr/bin/leasehold"))).isEqualTo(Path.of("/usr/lib/leasehold/bin/leasehold"));
        assertThat(Files.isExecutable(Path.of("/usr/lib/leasehold/runtime/bin/java"))).isTrue();
        assertThat(Shell.run("dpkg-query", "-W", "-f=${Conffiles}", "leasehold").output())
                .contains("/etc/leasehold/leasehold.yaml").contains("/etc/default/leasehold");
        assertThat(Shell.run("stat", "-c", "%U:%G %a", "/var/lib/leasehold").output().strip()).isEqualTo("leasehold:leasehold 750");
        assertThat(Shell.run("getent", "passwd", "leasehold").output()).contains(":/var/lib/leasehold:/usr/sbin/nologin");
        String unit = Files.readString(Path.of("/lib/systemd/system/leasehold.service"));
        assertThat(unit).contains("User=leasehold", "ExecReload=/bin/kill -HUP $MAINPID",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_NET_RAW",
                "ExecStart=/usr/bin/leasehold serve --config /etc/leasehold/leasehold.yaml");
        if (Shell.onPath("systemd-analyze")) {
            Shell.Result verify = Shell.run("systemd-analyze", "verify", "/lib/systemd/system/leasehold.service");
            assertThat(verify.output()).as("systemd-analyze verify").doesNotContain("leasehold.service:");
        }
        // The runtime is the package's own, not whatever JDK the machine has.
        assertThat(Shell.run("/usr/bin/leasehold", "--version").expect(0, "--version").output()).contains("leasehold 0.1.0");
    }

    private static void servesAsTheServiceUserWithinTheFootprint(Path work) throws Exception {
        int port = freeUdpPort();
        Path config = write(work, "serve.yaml", """
                listen: {address: 127.0.0.1, port: %d}
                data-directory: %s
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24, relay-addresses: [127.0.0.1], pools: [{range: 192.0.2.1-192.0.2.254}]}
                """.formatted(port, work.resolve("data")));
        try (InstalledServer server = InstalledServer.start("leasehold", config, work.resolve("serve.log"))) {
            Duration startup = server.awaitLog("serving ", Duration.ofSeconds(60));
            Shell.run("/usr/bin/leasehold", "client", "--simulate", "3", "--server", "127.0.0.1:" + port)
                    .expect(0, "three leases from the installed server").output();
            Thread.sleep(2_000);
            long rss = server.residentKib();
            System.out.printf("installed server: serving after %d ms, idle RSS %d MiB (one /24, small profile)%n",
                    startup.toMillis(), rss / 1024);
            assertThat(rss).as("idle resident memory, KiB").isLessThanOrEqualTo(MAX_IDLE_RSS_KIB);

            server.signal("HUP");
            server.awaitLog("configuration reloaded", Duration.ofSeconds(20));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit status after SIGTERM").isZero();
            assertThat(server.log()).contains("SIGTERM received: stopping").contains("127.0.0.1:" + port)
                    .doesNotContain("/127.0.0.1").doesNotContain("\tat ");
        }
        assertThat(work.resolve("data/leases.journal")).exists();
    }

    private static void reportsTheSameVersionThroughItsApiAsOnTheCommandLine(Path work) throws Exception {
        int port = freeUdpPort();
        int api = freeTcpPort();
        Path token = write(work, "token", "it-token-" + System.nanoTime() + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Shell.run("chown", "leasehold:leasehold", token.toString()).expect(0, "chown token");
        Path config = write(work, "api.yaml", """
                listen: {address: 127.0.0.1, port: %d}
                data-directory: %s
                control: {address: 127.0.0.1, port: %d, token-file: %s}
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24, relay-addresses: [127.0.0.1], pools: [{range: 192.0.2.1-192.0.2.254}]}
                """.formatted(port, work.resolve("data-api"), api, token));
        try (InstalledServer server = InstalledServer.start("leasehold", config, work.resolve("api.log"),
                "LEASEHOLD_JVM_PROFILE=small")) {
            server.awaitLog("control API on http://127.0.0.1:" + api, Duration.ofSeconds(60));
            String version = Shell.run("/usr/bin/leasehold", "--version").output().split(" ")[1];
            String status = Shell.run("/usr/bin/leasehold", "status", "--api", "http://127.0.0.1:" + api,
                    "--token-file", token.toString()).expect(0, "status").output();
            assertThat(status).containsPattern("version: +" + version.replace(".", "\\.") + "\\b");
            server.signal("INT");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit status after SIGINT").isZero();
        }
    }

    private static void refusesPort67WithoutTheCapabilityAndNamesIt(Path work) throws Exception {
        Path config = write(work, "port67.yaml", """
                listen: {address: 127.0.0.1, port: 67}
                data-directory: %s
                subnets:
                  - {id: 1, subnet: 192.0.2.0/24, relay-addresses: [127.0.0.1], pools: [{range: 192.0.2.1-192.0.2.254}]}
                """.formatted(work.resolve("data-67")));
        try (InstalledServer server = InstalledServer.start("leasehold", config, work.resolve("port67.log"))) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exit status without CAP_NET_BIND_SERVICE").isEqualTo(1);
            assertThat(server.log()).contains("cannot bind UDP 127.0.0.1:67").contains("CAP_NET_BIND_SERVICE")
                    .doesNotContain("\tat ");
        }
    }

    private static void dpkg(String... args) throws Exception {
        // Another apt or dpkg may hold the lock for a moment on a shared machine: wait for it, bounded.
        List<String> command = new java.util.ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        Shell.Result r = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            r = Shell.run(Duration.ofMinutes(3), command.toArray(String[]::new));
            if (r.code() == 0 || !r.output().contains("lock")) {
                break;
            }
            Thread.sleep(2_000);
        }
        r.expect(0, String.join(" ", command));
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        try {
            Shell.run("chown", "leasehold:leasehold", file.toString()).expect(0, "chown " + file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return file;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
