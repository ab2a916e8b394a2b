package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.testkit.netns.CommandResult;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LabTimeoutException;
import dev.leasehold.testkit.netns.NetnsLab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The lab itself: what it builds, that traffic flows on it, and that nothing of it outlives close(). */
@Tag("netns")
class NetnsLabTest {

    private static final Duration SHORT = Duration.ofSeconds(10);

    @BeforeAll
    static void requireLab() {
        assumeLabAvailable("ping", "sleep");
    }

    @Test
    void serverAndRelayAreAddressedAndClientsAreNot() {
        try (NetnsLab lab = NetnsLab.create(LabSpec.singleLan(2).withRelayedLan(1))) {
            assertThat(lab.ipv4Addresses(lab.server())).containsExactly("192.0.2.1/24");
            assertThat(lab.clients()).hasSize(2).allSatisfy(c -> assertThat(lab.ipv4Addresses(c)).isEmpty());
            assertThat(lab.relayedClients()).hasSize(1);
            var relay = lab.relay().orElseThrow();
            assertThat(lab.ipv4Addresses(relay.upstream())).containsExactly("192.0.2.2/24");
            assertThat(lab.ipv4Addresses(relay.downstream())).containsExactly("198.51.100.1/24");
            assertThat(lab.ipv4Routes(lab.server())).contains("198.51.100.0/24 via 192.0.2.2 dev " + lab.server().interfaceName());
            assertThat(lab.clients()).extracting(c -> c.interfaceName().length()).allMatch(n -> n <= 15);
            assertThat(lab.clients()).extracting(c -> c.mac()).doesNotHaveDuplicates();
        }
    }

    @Test
    void bridgeCarriesTrafficBetweenServerAndAClient() {
        try (NetnsLab lab = NetnsLab.create(1)) {
            var client = lab.client(0);
            lab.exec(client, SHORT, "ip", "addr", "add", "192.0.2.77/24", "dev", client.interfaceName()).requireSuccess();
            CommandResult ping = lab.exec(client, SHORT, "ping", "-c", "1", "-W", "2", "192.0.2.1");
            assertThat(ping.exitCode()).as(ping.output()).isZero();
        }
    }

    @Test
    void closeRemovesEveryNamespaceAndKillsWhatRunsInThem() {
        NetnsLab lab = NetnsLab.create(1);
        String id = lab.id();
        LabProcess sleeper = lab.start("sleeper", lab.client(0).namespace(), List.of("sleep", "600"));
        assertThat(namespacesOf(id)).hasSize(3);
        lab.close();
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(namespacesOf(id)).isEmpty();
        assertThat(lab.workDir()).doesNotExist();
    }

    @Test
    void stopEscalatesToSigkillWhenSigtermIsIgnored() {
        try (NetnsLab lab = NetnsLab.create(0)) {
            LabProcess stubborn = lab.start("stubborn", lab.server().namespace(),
                    List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"));
            stubborn.awaitOutput("ready", SHORT);
            long started = System.nanoTime();
            stubborn.stop(Duration.ofMillis(500));
            assertThat(stubborn.isAlive()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SHORT);
        }
    }

    @Test
    void boundedWaitFailsNamingWhatItWaitedFor() {
        try (NetnsLab lab = NetnsLab.create(1)) {
            assertThatThrownBy(() -> lab.awaitIpv4Address(lab.client(0), Duration.ofMillis(300)))
                    .isInstanceOf(LabTimeoutException.class)
                    .hasMessageContaining(lab.client(0).interfaceName());
        }
    }

    @Test
    void labsOfDeadJvmsAreRemovedAndLiveOnesKept() {
        // A pid above pid_max (2^22) cannot belong to a live process.
        String stale = NetnsLab.NAME_PREFIX + "4999999-abcdef-br";
        var add = new ProcessBuilder("ip", "netns", "add", stale);
        try (NetnsLab live = NetnsLab.create(0)) {
            assertThat(run(add)).isZero();
            NetnsLab.removeStaleLabs();
            assertThat(allNamespaces()).doesNotContain(stale).anyMatch(n -> n.startsWith(live.id()));
        } finally {
            run(new ProcessBuilder("ip", "netns", "del", stale));
        }
    }

    private static List<String> namespacesOf(String labId) {
        return allNamespaces().stream().filter(n -> n.startsWith(labId + "-")).toList();
    }

    private static List<String> allNamespaces() {
        try {
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().map(l -> l.split("\\s+")[0]).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int run(ProcessBuilder builder) {
        try {
            Process p = builder.redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
