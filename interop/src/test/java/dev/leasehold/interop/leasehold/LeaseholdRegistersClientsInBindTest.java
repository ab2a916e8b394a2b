package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcpCapture;
import dev.leasehold.testkit.netns.DhcpCapture.Packet;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.JavaCommand;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.Named;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.ServerSettings;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Dynamic DNS against real peers: Leasehold ({@code leasehold serve}) registers dhclient clients in
 * an authoritative BIND 9 that runs in the server's namespace (192.0.2.1:53) with zones
 * {@code example.com}, {@code other.example.com} and {@code 2.0.192.in-addr.arpa}, each taking
 * updates signed with one hmac-sha256 key. Leasehold holds that key for {@code example.com} and
 * the reverse zone, and a wrong one for {@code other.example.com}. Names are checked with dig.
 *
 * <p>The tests run in order on one lab; each says what the ones before left behind.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseholdRegistersClientsInBindTest {

    private static final String SERVER = "192.0.2.1";
    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration DNS = Duration.ofSeconds(20);
    private static final Duration RELEASE = Duration.ofSeconds(15);
    /** An ACK that waited for DNS would take at least the server timeout (2 s); one that did not takes milliseconds. */
    private static final Duration PROMPT = Duration.ofMillis(700);

    private NetnsLab lab;
    private Named named;
    private LeaseholdServerProcess leasehold;
    private DhcpCapture capture;
    private String config;
    private Path token;
    private final LabProcess[] clients = new LabProcess[5];
    private final String[] addresses = new String[5];

    @BeforeAll
    void startBindLeaseholdAndCapture() {
        assumeLabAvailable("named", "dig", "dhclient", "tshark");
        lab = NetnsLab.create(LabSpec.singleLan(5));
        named = Named.start(lab, lab.server().namespace(), SERVER, 53, "dhcp-key",
                List.of("example.com", "other.example.com", "2.0.192.in-addr.arpa"));
        Path good = named.writeSecret(lab.workDir().resolve("dhcp-key.secret"));
        Path wrong = named.writeWrongSecret(lab.workDir().resolve("wrong-key.secret"));
        String servers = "dns-servers: [{ip-address: " + SERVER + ", port: 53}]";
        token = lab.workDir().resolve("api.token");
        try {
            Files.writeString(token, "ddns-lab-token-0123456789\n");
            Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = LeaseholdServerProcess.config(ServerSettings.forLab(lab).withLifetimes(600, 300, 500), """
                authoritative: true
                control: {token-file: "%s"}
                ddns-qualifying-suffix: example.com
                dhcp-ddns:
                  dns-server-timeout: 2s
                  tsig-keys:
                    - {name: dhcp-key, algorithm: hmac-sha256, secret-file: "%s"}
                    - {name: wrong-key, algorithm: hmac-sha256, secret-file: "%s"}
                  forward-ddns:
                    ddns-domains:
                      - {name: example.com., key-name: dhcp-key, %s}
                      - {name: other.example.com., key-name: wrong-key, %s}
                  reverse-ddns:
                    ddns-domains:
                      - {name: 2.0.192.in-addr.arpa., key-name: dhcp-key, %s}""".formatted(token, good, wrong, servers,
                servers, servers));
        leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold", config);
        capture = DhcpCapture.start(lab, lab.server());
    }

    @AfterAll
    void removeLab() throws IOException {
        if (System.getenv("DDNS_LAB_LOGS") != null && lab != null) {
            Path to = Path.of(System.getenv("DDNS_LAB_LOGS"));
            Files.createDirectories(to);
            try (var files = Files.list(lab.workDir())) {
                for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".leases")).toList()) {
                    Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** dhclient.conf for a client that sends option 81 (RFC 4702) with {@code name}, asking the server to update. */
    private Path fqdnConf(String file, String name) {
        return conf(file, """
                send fqdn.fqdn "%s";
                send fqdn.encoded on;
                send fqdn.server-update on;
                """.formatted(name));
    }

    private Path conf(String file, String sends) {
        Path f = lab.workDir().resolve(file);
        try {
            Files.writeString(f, sends + "request subnet-mask, broadcast-address, routers, domain-name-servers;\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** Starts dhclient on client {@code index}; returns its address once bound; checks that its ACK came promptly. */
    private String bind(int index, Path dhclientConf) {
        LabNode node = lab.client(index);
        int mark = capture.mark();
        clients[index] = new Dhclient().start(lab, node, dhclientConf);
        String cidr = lab.awaitIpv4Address(node, BIND);
        Packet ack = capture.await("the ACK of client " + index, mark, BIND,
                p -> p.is(MessageType.ACK) && p.mac().equals(node.mac()));
        Packet request = capture.packetsSince(mark).stream()
                .filter(p -> p.is(MessageType.REQUEST) && p.mac().equals(node.mac()) && !p.time().isAfter(ack.time()))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(Duration.between(request.time(), ack.time())).as("REQUEST to ACK of client " + index)
                .isLessThan(PROMPT);
        addresses[index] = cidr.substring(0, cidr.indexOf('/'));
        return addresses[index];
    }

    private static String ptr(String address) {
        String[] o = address.split("\\.");
        return o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa";
    }

    private void awaitRecords(String what, String name, String type, List<String> expected) {
        Await.until(what + " (" + name + " " + type + " = " + expected + ")", DNS,
                () -> named.lookup(name, type).equals(expected));
    }

    @Test
    @Order(1)
    void clientSendingOptionEightyOneIsRegisteredForwardAndReverse() throws IOException {
        String address = bind(0, fqdnConf("alpha.conf", "alpha"));

        awaitRecords("the A record of alpha", "alpha.example.com", "A", List.of(address));
        awaitRecords("the PTR record of alpha", ptr(address), "PTR", List.of("alpha.example.com."));
        // RFC 4701: the DHCID that marks the name as this client's.
        assertThat(named.lookup("alpha.example.com", "DHCID")).hasSize(1);
        // The ACK carried option 81 with the completed name (RFC 4702 §4); dhclient keeps it in its lease file.
        assertThat(Files.readString(Dhclient.leaseFile(lab, lab.client(0)))).contains("alpha.example.com");
        // The control API shows the lease's DNS state.
        assertThat(cli("leases", "show", address)).contains("dns:").contains("alpha.example.com A+PTR registered");
    }

    /** {@code leasehold ARGS} against the server's control API, run in the server's namespace. */
    private String cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(args));
        command.addAll(List.of("--token-file", token.toString()));
        return lab.exec(lab.server().namespace(), Duration.ofSeconds(60), JavaCommand.ofCurrentJvm()
                .main("dev.leasehold.cli.Main", command.toArray(String[]::new)).toArray(String[]::new))
                .requireSuccess().output();
    }

    @Test
    @Order(2)
    void resendDdnsRestoresARecordRemovedBehindTheServersBack() throws IOException {
        String secret = Files.readString(lab.workDir().resolve("dhcp-key.secret")).strip();
        Path script = lab.workDir().resolve("nsupdate-delete.txt");
        Files.writeString(script, "server " + SERVER + " 53\nzone example.com\nupdate delete alpha.example.com A\nsend\n");
        lab.exec(lab.server().namespace(), Duration.ofSeconds(10), "nsupdate", "-y", "hmac-sha256:dhcp-key:" + secret,
                script.toString()).requireSuccess();
        assertThat(named.lookup("alpha.example.com", "A")).isEmpty();

        assertThat(cli("leases", "resend-ddns", addresses[0])).contains("queued " + addresses[0]);

        awaitRecords("alpha's A record after resend-ddns", "alpha.example.com", "A", List.of(addresses[0]));
    }

    @Test
    @Order(3)
    void secondClientAskingForTheSameNameDoesNotTakeItOver() {
        String second = bind(1, fqdnConf("alpha-too.conf", "alpha"));

        Await.until("Leasehold to report the conflict over alpha.example.com", DNS,
                () -> leasehold.process().output().contains("not registering alpha.example.com " + second));
        assertThat(named.lookup("alpha.example.com", "A")).containsExactly(addresses[0]);
        assertThat(named.lookup(ptr(second), "PTR")).isEmpty();
    }

    @Test
    @Order(4)
    void releasedClientsRecordsAreRemoved() {
        new Dhclient().release(lab, lab.client(0), clients[0], RELEASE);

        awaitRecords("alpha's A record to go", "alpha.example.com", "A", List.of());
        awaitRecords("alpha's PTR record to go", ptr(addresses[0]), "PTR", List.of());
        awaitRecords("alpha's DHCID record to go", "alpha.example.com", "DHCID", List.of());
    }

    @Test
    @Order(5)
    void wrongTsigKeyFailsVisiblyWithoutDelayingTheAck() {
        String address = bind(2, fqdnConf("delta.conf", "delta.other.example.com."));

        Await.until("Leasehold to log the refused update for " + address, DNS,
                () -> leasehold.process().output().contains("ddns update for " + address + " failed (notauth)"));
        assertThat(named.lookup("delta.other.example.com", "A")).isEmpty();
        assertThat(named.process().output()).contains("wrong-key");
        assertThat(cli("leases", "show", address)).contains("delta.other.example.com A+PTR failed").contains("NOTAUTH");
    }

    @Test
    @Order(6)
    void updatesPendingWhileTheDnsServerIsStoppedArriveWhenItRuns() {
        named.process().signal("STOP"); // no answers at all: every update times out
        String address;
        try {
            // Option 12 only: the server completes the host name and does both updates.
            address = bind(3, conf("gamma.conf", "send host-name \"gamma\";\n"));
            Await.until("Leasehold to log the timed-out update for " + address, DNS,
                    () -> leasehold.process().output().contains("ddns update for " + address + " failed (timeout)"));
        } finally {
            named.process().signal("CONT");
        }
        awaitRecords("gamma's A record after named runs again", "gamma.example.com", "A", List.of(address));
        awaitRecords("gamma's PTR record after named runs again", ptr(address), "PTR", List.of("gamma.example.com."));
    }

    @Test
    @Order(7)
    void removalPendingAcrossALeaseholdRestartIsNotLost() {
        named.stop();
        new Dhclient().release(lab, lab.client(3), clients[3], RELEASE);
        Await.until("Leasehold to fail removing gamma while named is down", DNS,
                () -> leasehold.process().output().contains("removing A gamma.example.com."));
        leasehold.stop(Duration.ofSeconds(10));
        named.start();
        assertThat(named.lookup("gamma.example.com", "A")).containsExactly(addresses[3]);

        leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold", config);

        awaitRecords("gamma's A record to go after the restart", "gamma.example.com", "A", List.of());
        awaitRecords("gamma's PTR record to go after the restart", ptr(addresses[3]), "PTR", List.of());
    }

    @Test
    @Order(8)
    void operatorDeletingALeaseRemovesItsRecordsAndMetricsCountTheUpdates() {
        String address = bind(4, conf("epsilon.conf", "send host-name \"epsilon\";\n"));
        awaitRecords("epsilon's A record", "epsilon.example.com", "A", List.of(address));

        assertThat(cli("leases", "delete", address)).contains("deleted " + address);

        // No lease event for an operator's delete: the updater's check against the store (every 10 s) finds it.
        awaitRecords("epsilon's A record to go after the delete", "epsilon.example.com", "A", List.of());
        awaitRecords("epsilon's PTR record to go after the delete", ptr(address), "PTR", List.of());
        String metrics = httpGet("/metrics");
        assertThat(metrics).contains("leasehold_ddns_updates_sent_total{direction=\"forward\"}")
                .contains("leasehold_ddns_registered_total")
                .contains("leasehold_ddns_updates_failed_total{reason=\"notauth\"}")
                .contains("leasehold_ddns_queued{reason=\"retry\"} 1"); // delta's refused update, still retried
    }

    /** A GET on the control API from inside the server's namespace, with bash's /dev/tcp (no curl needed). */
    private String httpGet(String path) {
        String secret;
        try {
            secret = Files.readString(token).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String script = "exec 3<>/dev/tcp/127.0.0.1/8067 && printf 'GET " + path
                + " HTTP/1.0\\r\\nAuthorization: Bearer " + secret + "\\r\\n\\r\\n' >&3 && timeout 10 cat <&3";
        return lab.exec(lab.server().namespace(), Duration.ofSeconds(15), "bash", "-c", script).requireSuccess().output();
    }
}
