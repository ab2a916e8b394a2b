package dev.leasehold.ddns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.DdnsConfig;
import dev.leasehold.config.DdnsSettings.ConflictResolution;
import dev.leasehold.testkit.netns.LabRequirements;
import dev.leasehold.testkit.netns.Named;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 4703's transactions in each of Kea's conflict modes, against a real BIND 9 on loopback
 * (127.0.0.1, a free port): who may take a name, what a removal leaves, what a wrong key gets.
 * Skips where named or dig is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsUpdaterAgainstBindTest {

    private static final byte[] CLIENT_1 = {0, 0, 1, 2, 0, 0, 0, 0, 1};
    private static final byte[] CLIENT_2 = {0, 0, 1, 2, 0, 0, 0, 0, 2};

    private Path dir;

    private Named named;
    private DnsUpdater updater;
    private final DdnsMetrics metrics = new DdnsMetrics();

    @BeforeAll
    void startNamed(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        Assumptions.assumeTrue(LabRequirements.findBinary("named").isPresent() && LabRequirements.findBinary("dig").isPresent(),
                "skipped: needs named and dig (Debian packages bind9, bind9-dnsutils)");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        named = Named.onLoopback(dir.resolve("named"), port, "dhcp-key", List.of("example.com", "0.10.in-addr.arpa"));
        updater = updater(named.writeSecret(dir.resolve("good.secret")), port);
    }

    @AfterAll
    void stopNamed() {
        if (named != null) {
            named.stop();
        }
    }

    private DnsUpdater updater(Path secret, int port) throws IOException {
        DdnsConfig.DnsServer server = new DdnsConfig.DnsServer(Ipv4Address.parse("127.0.0.1"), port);
        DdnsConfig config = new DdnsConfig(true, List.of(new DdnsConfig.TsigKey("dhcp-key", "hmac-sha256", secret)),
                List.of(new DdnsConfig.Domain("example.com", Optional.of("dhcp-key"), List.of(server))),
                List.of(new DdnsConfig.Domain("0.10.in-addr.arpa", Optional.of("dhcp-key"), List.of(server))),
                16, Duration.ofMillis(500));
        return new DnsUpdater(DnsZones.of(config), config.serverTimeout(), metrics);
    }

    private static Registration reg(String name, String address, byte[] client) {
        return new Registration(Ipv4Address.parse(address), name, true, true, client, "c", 1);
    }

    @Test
    void checkWithDhcidKeepsTheNameForItsFirstClient() {
        assertThat(updater.add(reg("one.example.com", "10.0.0.11", CLIENT_1), 300, ConflictResolution.CHECK_WITH_DHCID))
                .isInstanceOf(UpdateOutcome.Done.class);

        UpdateOutcome second = updater.add(reg("one.example.com", "10.0.0.12", CLIENT_2), 300,
                ConflictResolution.CHECK_WITH_DHCID);

        assertThat(second).isInstanceOf(UpdateOutcome.Conflict.class);
        assertThat(named.lookup("one.example.com", "A")).containsExactly("10.0.0.11");
        assertThat(named.lookup("12.0.0.10.in-addr.arpa", "PTR")).isEmpty();
        assertThat(named.lookup("11.0.0.10.in-addr.arpa", "PTR")).containsExactly("one.example.com.");
    }

    @Test
    void theSameClientMovingToAnotherAddressReplacesItsARecord() {
        updater.add(reg("two.example.com", "10.0.0.21", CLIENT_1), 300, ConflictResolution.CHECK_WITH_DHCID);

        UpdateOutcome moved = updater.add(reg("two.example.com", "10.0.0.22", CLIENT_1), 300,
                ConflictResolution.CHECK_WITH_DHCID);

        assertThat(moved).isInstanceOf(UpdateOutcome.Done.class);
        assertThat(named.lookup("two.example.com", "A")).containsExactly("10.0.0.22");
    }

    @Test
    void aRemovalByAnotherClientLeavesTheNameAloneAndTheOwnersRemovalClearsIt() {
        updater.add(reg("three.example.com", "10.0.0.31", CLIENT_1), 300, ConflictResolution.CHECK_WITH_DHCID);

        updater.remove(reg("three.example.com", "10.0.0.31", CLIENT_2), ConflictResolution.CHECK_WITH_DHCID);
        assertThat(named.lookup("three.example.com", "A")).containsExactly("10.0.0.31");

        assertThat(updater.remove(reg("three.example.com", "10.0.0.31", CLIENT_1), ConflictResolution.CHECK_WITH_DHCID))
                .isInstanceOf(UpdateOutcome.Done.class);
        assertThat(named.lookup("three.example.com", "A")).isEmpty();
        assertThat(named.lookup("three.example.com", "DHCID")).isEmpty();
        assertThat(named.lookup("31.0.0.10.in-addr.arpa", "PTR")).isEmpty();
    }

    @Test
    void checkExistsWithDhcidLetsAnotherClientReplaceTheAddress() {
        updater.add(reg("four.example.com", "10.0.0.41", CLIENT_1), 300, ConflictResolution.CHECK_EXISTS_WITH_DHCID);

        UpdateOutcome second = updater.add(reg("four.example.com", "10.0.0.42", CLIENT_2), 300,
                ConflictResolution.CHECK_EXISTS_WITH_DHCID);

        assertThat(second).isInstanceOf(UpdateOutcome.Done.class);
        assertThat(named.lookup("four.example.com", "A")).containsExactly("10.0.0.42");
    }

    @Test
    void noCheckWithDhcidGivesTheNameToTheLastClientAndItsDhcid() {
        updater.add(reg("five.example.com", "10.0.0.51", CLIENT_1), 300, ConflictResolution.NO_CHECK_WITH_DHCID);
        List<String> firstDhcid = named.lookup("five.example.com", "DHCID");

        updater.add(reg("five.example.com", "10.0.0.52", CLIENT_2), 300, ConflictResolution.NO_CHECK_WITH_DHCID);

        assertThat(named.lookup("five.example.com", "A")).containsExactly("10.0.0.52");
        assertThat(named.lookup("five.example.com", "DHCID")).hasSize(1).doesNotContainAnyElementsOf(firstDhcid);
    }

    @Test
    void noCheckWithoutDhcidWritesNoDhcid() {
        updater.add(reg("six.example.com", "10.0.0.61", CLIENT_1), 300, ConflictResolution.NO_CHECK_WITHOUT_DHCID);

        assertThat(named.lookup("six.example.com", "A")).containsExactly("10.0.0.61");
        assertThat(named.lookup("six.example.com", "DHCID")).isEmpty();
    }

    @Test
    void aWrongKeyIsRefusedAsNotauth() throws IOException {
        Path wrong = named.writeWrongSecret(dir.resolve("wrong.secret"));
        DnsUpdater signedWrong = updater(wrong, named.port());

        UpdateOutcome out = signedWrong.add(reg("seven.example.com", "10.0.0.71", CLIENT_1), 300,
                ConflictResolution.CHECK_WITH_DHCID);

        assertThat(out).isInstanceOfSatisfying(UpdateOutcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("notauth");
            assertThat(f.detail()).contains("BADSIG");
        });
        assertThat(named.lookup("seven.example.com", "A")).isEmpty();
    }

    @Test
    void aServerThatDoesNotAnswerIsAFailureToRetry() throws IOException {
        int closed;
        try (DatagramSocket probe = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        DnsUpdater nobody = updater(dir.resolve("good.secret"), closed);

        UpdateOutcome out = nobody.add(reg("eight.example.com", "10.0.0.81", CLIENT_1), 300,
                ConflictResolution.CHECK_WITH_DHCID);

        assertThat(out).isInstanceOfSatisfying(UpdateOutcome.Failed.class,
                f -> assertThat(f.reason()).isIn("unreachable", "timeout"));
    }
}
