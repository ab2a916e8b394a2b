package dev.leasehold.cli;

import static dev.leasehold.cli.Console.capture;

import dev.leasehold.cli.Console.Captured;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.control.Operations;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `leasehold leases|status|reload` against a running server's control API on loopback. */
class ControlCommandsTest {

    private static final String TOKEN = "cli-test-token-0123456789";

    @TempDir
    Path dir;
    private Path configFile;
    private Path tokenFile;
    private LeaseholdServer server;
    private Operations ops;

    /**
     * The server runs in this JVM and its lease event log writes to the console the commands'
     * output is captured from; it writes in batches, from its own thread, so a line could land
     * in a later command's capture. These tests are about the commands, so it stays quiet; so do
     * the server's audit log and its log of refused reloads, which write into the same capture.
     */
    private final ch.qos.logback.classic.Logger eventLog =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("leasehold.events");
    private ch.qos.logback.classic.Level eventLogLevel;
    private final List<ch.qos.logback.classic.Logger> serverLogs = List.of(
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("leasehold.control.audit"),
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.leasehold.control.ConfigApi"));

    @BeforeEach
    void start() throws Exception {
        eventLogLevel = eventLog.getLevel();
        eventLog.setLevel(ch.qos.logback.classic.Level.WARN);
        serverLogs.forEach(l -> l.setLevel(ch.qos.logback.classic.Level.OFF));
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        configFile = dir.resolve("leasehold.yaml");
        Files.writeString(configFile, config("192.0.2.100-192.0.2.149"));
        AtomicReference<Operations> opened = new AtomicReference<>();
        server = LeaseholdServer.start(configFile, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"),
                List.of(Operations.factory(opened::set)));
        ops = opened.get();
    }

    @AfterEach
    void stop() {
        eventLog.setLevel(eventLogLevel);
        serverLogs.forEach(l -> l.setLevel(null));
        if (server != null) {
            server.close();
        }
    }

    private String config(String range) {
        return """
                listen: {address: 127.0.0.1, port: 0}
                data-directory: %s
                allocation: iterative
                control: {port: 0, token-file: %s}
                subnets:
                  - id: 7
                    subnet: 192.0.2.0/24
                    relay-addresses: [127.0.0.1]
                    pools: [{range: %s}]
                """.formatted(dir.resolve("data"), tokenFile, range);
    }

    private Binding lease(String mac, String hostname) throws Exception {
        try (RelayPathClient c = RelayPathClient.open(Ipv4Address.parse("127.0.0.1"), server.localAddress(),
                new ClientMessages(HardwareAddress.parseEthernet(mac), null, hostname, ClientMessages.RelayFields.NONE),
                RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC())) {
            return c.obtain(null, Duration.ofSeconds(2)).orElseThrow();
        }
    }

    private Captured run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--api", ops.apiUrl().orElseThrow(), "--token-file", tokenFile.toString()));
        return capture(() -> Main.run(all.toArray(String[]::new)));
    }

    @Test
    void leasesListPrintsATable() throws Exception {
        lease("02:00:00:00:01:01", "alpha");
        lease("02:00:00:00:01:02", "beta");

        Captured c = run("leases", "list");

        assertThat(c.code()).as(c.err()).isZero();
        List<String> lines = c.out().lines().toList();
        assertThat(lines.getFirst()).matches("ADDRESS +STATE +MAC +CLIENT-ID +SUBNET +EXPIRES +HOSTNAME");
        assertThat(lines.get(1)).startsWith("192.0.2.100  active  02:00:00:00:01:01  01:02:00:00:00:01:01  7 ").endsWith(" alpha");
        assertThat(lines.get(2)).startsWith("192.0.2.101 ").endsWith(" beta");
        assertThat(lines.getLast()).isEqualTo("2 lease(s)");
    }

    @Test
    void leasesListPagesWithAll() throws Exception {
        for (int i = 0; i < 3; i++) {
            lease("02:00:00:00:02:0" + i, null);
        }

        assertThat(run("leases", "list", "--limit", "2").out()).contains("2 lease(s); more after 192.0.2.101");
        assertThat(run("leases", "list", "--limit", "2", "--all").out()).endsWith("3 lease(s)\n");
    }

    @Test
    void leasesListJsonIsTheApiAnswer() throws Exception {
        lease("02:00:00:00:01:01", null);

        Captured c = run("leases", "list", "--json", "--mac", "02:00:00:00:01:01");

        assertThat(new ObjectMapper().readTree(c.out()).path("leases").get(0).path("address").asText()).isEqualTo("192.0.2.100");
    }

    @Test
    void leasesShowAndDelete() throws Exception {
        lease("02:00:00:00:01:01", "alpha");

        Captured show = run("leases", "show", "192.0.2.100");
        assertThat(show.out()).contains("mac:        02:00:00:00:01:01", "hostname:   alpha");

        Captured delete = run("leases", "delete", "192.0.2.100");
        assertThat(delete.out()).isEqualTo("deleted 192.0.2.100 (active, 02:00:00:00:01:01)\n");
        assertThat(server.store().size()).isZero();

        Captured again = run("leases", "show", "192.0.2.100");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("refused (404): no lease for 192.0.2.100\n");
    }

    @Test
    void leasesHistoryAnswersWhoHeldAnAddressAndWhatAMacHeld() throws Exception {
        Binding b = lease("02:00:00:00:03:01", "gamma");

        Captured holder = run("leases", "history", "--address", b.address().toString(), "--at", "now");
        assertThat(holder.out()).contains("was held by", "mac:       02:00:00:00:03:01", "hostname:  gamma");

        Captured held = run("leases", "history", "--mac", "02:00:00:00:03:01", "--since", "1h");
        assertThat(held.out().lines().toList().get(1)).matches("ADDRESS +FROM +UNTIL +ENDED-BY +MAC +CLIENT-ID +HOSTNAME");
        assertThat(held.out().lines().toList().get(2)).startsWith("192.0.2.100 ").contains(" lease-time ");

        Captured events = run("leases", "history", "--mac", "02:00:00:00:03:01", "--events");
        assertThat(events.out()).contains(" ack ").doesNotContain(" offer ");

        Captured nobody = run("leases", "history", "--address", "192.0.2.140", "--at", "2h");
        assertThat(nobody.out()).startsWith("nobody held 192.0.2.140 at ");
    }

    @Test
    void aTimeThatIsNotATimeIsAUsageErrorWithoutStackTrace() throws Exception {
        Captured c = run("leases", "history", "--address", "192.0.2.100", "--at", "garbage");

        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("--at: 'garbage' is not a time").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run("leases", "history", "--mac", "02:00:00:00:03:01", "--since", "soon").code()).isEqualTo(2);
    }

    @Test
    void listAllAsJsonIsOneDocument() throws Exception {
        for (int i = 1; i <= 3; i++) {
            lease("02:00:00:00:0b:0" + i, "n" + i);
        }
        Captured c = run("leases", "list", "--all", "--json", "--limit", "1");

        assertThat(c.code()).as(c.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode doc = new ObjectMapper().readTree(c.out());
        assertThat(doc.path("count").asInt()).isEqualTo(3);
        assertThat(doc.path("leases")).hasSize(3);
        assertThat(doc.path("leases").get(2).path("hostname").asText()).isEqualTo("n3");
    }

    @Test
    void checkConfigRefusesATokenFileThatServeWouldRefuse() throws Exception {
        Captured ok = capture(() -> Main.run("check-config", configFile.toString()));
        assertThat(ok.code()).as(ok.err()).isZero();

        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        Captured loose = capture(() -> Main.run("check-config", configFile.toString()));
        assertThat(loose.code()).isEqualTo(2);
        assertThat(loose.err()).contains("accessible to group or others", "chmod 600");

        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tokenFile, "short");
        assertThat(capture(() -> Main.run("check-config", configFile.toString())).err()).contains("shorter than 16");
        Files.delete(tokenFile);
        assertThat(capture(() -> Main.run("check-config", configFile.toString())).err()).contains("does not exist");
    }

    @Test
    void historyNeedsExactlyOneSubject() throws Exception {
        Captured c = run("leases", "history", "--mac", "02:00:00:00:03:01", "--address", "192.0.2.1");

        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("mutually exclusive");
    }

    @Test
    void statusShowsVersionConfigAndStore() throws Exception {
        Captured c = run("status");

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("version:", "config:       " + configFile + ", 1 subnet(s), sha256 ", "store:        writable, 0 lease(s)");
    }

    @Test
    void reloadAppliesAGoodFileAndPrintsTheProblemsOfABadOne() throws Exception {
        Files.writeString(configFile, config("192.0.2.100-192.0.2.109"));
        Captured ok = run("reload");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("reloaded: 1 subnet(s), sha256 ");
        assertThat(server.engine().usage().getFirst().totalAddresses()).isEqualTo(10);

        Files.writeString(configFile, config("192.0.3.100-192.0.3.109"));
        Captured bad = run("reload");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("refused (422): the configuration file has problems")
                .contains(configFile + ":9: subnets[0].pools[0].range: the pool 192.0.3.100-192.0.3.109 is not inside");
        assertThat(server.engine().usage().getFirst().totalAddresses()).isEqualTo(10);
    }

    @Test
    void wrongTokenIsRefusedWithExitCode1() throws Exception {
        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not-the-right-token-xxxx");

        Captured c = capture(() -> Main.run("status", "--api", ops.apiUrl().orElseThrow(), "--token-file", wrong.toString()));

        assertThat(c.code()).isEqualTo(1);
        assertThat(c.err()).isEqualTo("refused (401): the bearer token is wrong\n");
    }

    @Test
    void unreachableApiIsExitCode3() throws Exception {
        Captured c = capture(() -> Main.run("status", "--api", "http://127.0.0.1:1", "--token-file", tokenFile.toString()));

        assertThat(c.code()).isEqualTo(3);
        assertThat(c.err()).startsWith("cannot reach the control API at http://127.0.0.1:1");
    }

    @Test
    void missingTokenFileIsExitCode3() throws Exception {
        Captured c = capture(() -> Main.run("status", "--api", ops.apiUrl().orElseThrow(), "--token-file",
                dir.resolve("absent").toString()));

        assertThat(c.code()).isEqualTo(3);
        assertThat(c.err()).startsWith("no token file ");
    }
}
