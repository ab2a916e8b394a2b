package dev.leasehold.interop.client;

import static dev.leasehold.interop.client.ClientLab.BIND;
import static dev.leasehold.interop.client.ClientLab.assumeLab;
import static dev.leasehold.interop.client.ClientLab.runClientCommand;
import static dev.leasehold.interop.client.ClientLab.startClient;
import static dev.leasehold.interop.client.ClientLab.startClients;
import static dev.leasehold.interop.client.ClientLab.startLeaseholdServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code leasehold client} on a machine with more than one interface on a LAN, controlled while
 * it runs (issue 19 items 8, 9, 11, 12): one process for two interfaces, routes with a metric per
 * interface, a release of one that leaves the other's routes alone, {@code --renew} and SIGHUP
 * through to the server, ARP announcements two seconds apart, and a mistake reported in one line.
 */
@Tag("netns")
class ClientOnARealSystemTest {

    private static final Duration SHORT = Duration.ofSeconds(15);

    @Test
    void twoInterfacesOnOneLanInOneProcessKeepTheirRoutesApartAndAreControlledWhileRunning() {
        assumeLab("tcpdump");
        try (NetnsLab lab = NetnsLab.create(2)) {
            startLeaseholdServer(lab, lab.server(), 120, 60, 100);
            LabNode first = lab.client(0);
            // The second client's veth joins the first's namespace: one host, two interfaces on one LAN.
            LabNode moved = lab.client(1);
            lab.exec(moved, Duration.ofSeconds(10), "ip", "link", "set", "dev", moved.interfaceName(), "netns",
                    first.namespace()).requireSuccess();
            LabNode second = new LabNode(first.namespace(), moved.interfaceName(), moved.mac(), Optional.empty());
            lab.exec(second, Duration.ofSeconds(10), "ip", "link", "set", "dev", second.interfaceName(), "up").requireSuccess();
            LabProcess arp = lab.start("tcpdump-arp", first.namespace(),
                    List.of("tcpdump", "-i", first.interfaceName(), "-n", "-l", "-tt", "arp"));

            ClientLab.RunningClient client = startClients(lab, first, "two", first.interfaceName(), second.interfaceName());
            String a1 = lab.awaitIpv4Address(first, BIND).replaceAll("/.*", "");
            String a2 = lab.awaitIpv4Address(second, SHORT).replaceAll("/.*", "");
            Await.until("both default routes", SHORT, () -> defaultRoutes(lab, first).size() == 2);
            List<String> defaults = defaultRoutes(lab, first);
            assertThat(defaults).as(client.process().tail())
                    .anyMatch(r -> r.contains("dev " + first.interfaceName() + " ") && r.contains(" metric 10"))
                    .anyMatch(r -> r.contains("dev " + second.interfaceName() + " ") && r.contains(" metric 10"));

            // RFC 5227 §2.3: the announcements of the first address, ANNOUNCE_INTERVAL (2 s) apart.
            List<BigDecimal> announced = Await.value("two announcements of " + a1, SHORT, () -> {
                List<BigDecimal> times = arp.output().lines().filter(l -> l.contains("who-has " + a1 + " ")
                        && l.contains("tell " + a1 + ",")).map(l -> new BigDecimal(l.substring(0, l.indexOf(' ')))).toList();
                return times.size() >= 2 ? Optional.of(times) : Optional.empty();
            });
            assertThat(announced.get(1).subtract(announced.get(0))).as(arp.output()).isGreaterThanOrEqualTo(new BigDecimal("1.9"));

            // --renew reaches the running client, which renews with the server.
            LabProcess renew = runClientCommand(lab, first, "renew", second.interfaceName(), "--renew");
            assertThat(renew.exitCode()).as(renew.output()).contains(0);
            assertThat(renew.output()).contains(second.interfaceName() + ": ok: renewing " + a2);
            client.awaitEvent("RENEW", SHORT);

            // SIGHUP renews too, and does not end the process.
            int renewals = renewals(client);
            client.process().signal("HUP");
            Await.until("SIGHUP renewals", SHORT, () -> renewals(client) >= renewals + 2);
            assertThat(client.process().isAlive()).isTrue();

            // --release of the first interface: its address and routes go, the second's stay.
            LabProcess release = runClientCommand(lab, first, "release", first.interfaceName(), "--release");
            assertThat(release.output()).contains(first.interfaceName() + ": ok: released " + a1);
            lab.awaitNoIpv4Address(first, SHORT);
            assertThat(defaultRoutes(lab, first)).singleElement().asString().contains("dev " + second.interfaceName() + " ");
            assertThat(lab.ipv4Addresses(second)).containsExactly(a2 + "/24");
            assertThat(client.process().isAlive()).isTrue();

            // A second client for the interface still served is refused in one line.
            LabProcess duplicate = runClientCommand(lab, first, "dup", second.interfaceName());
            assertThat(duplicate.exitCode()).contains(2);
            assertThat(duplicate.output().strip()).contains("leasehold client: a client already runs on this interface");
        }
    }

    @Test
    void anOfferOfTheSubnetsBroadcastAddressIsRefusedOnARealLink() {
        assumeLab();
        ScriptedServer.assumeScapy();
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess server = ScriptedServer.start(lab, "--yiaddr", "192.0.2.255", "--router", "192.0.2.1");
            LabNode node = lab.client(0);
            ClientLab.RunningClient client = startClient(lab, node, "c");
            try {
                Await.until("two refused offers", Duration.ofSeconds(30), () -> client.process().output().lines()
                        .filter(l -> l.contains("refusing the offer: yiaddr 192.0.2.255 is the broadcast address of 192.0.2.0/24"))
                        .count() >= 2);
            } catch (RuntimeException e) {
                throw new AssertionError("server:\n" + server.output() + "\nclient:\n" + client.process().tail(), e);
            }
            assertThat(lab.ipv4Addresses(node)).isEmpty();
            assertThat(ScriptedServer.count(server, "REQUEST")).as(server.output()).isZero();
            assertThat(server.output()).contains(" DISCOVER " + node.mac() + " max-size 1472"); // option 57: MTU 1500 less 28
        }
    }

    @Test
    void aZeroSecondLeaseDoesNotMakeTheClientLoop() throws InterruptedException {
        assumeLab();
        ScriptedServer.assumeScapy();
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess server = ScriptedServer.start(lab, "--lease", "0", "--router", "192.0.2.1");
            LabNode node = lab.client(0);
            ClientLab.RunningClient client = startClient(lab, node, "c");
            client.awaitEvent("BOUND", BIND);
            Thread.sleep(12_000); // the report: 13 DISCOVERs and 38 REQUESTs in 15 s
            assertThat(ScriptedServer.count(server, "DISCOVER")).as(server.output()).isLessThanOrEqualTo(2);
            assertThat(ScriptedServer.count(server, "REQUEST")).as(server.output()).isLessThanOrEqualTo(2);
            assertThat(client.events()).noneMatch(e -> e.startsWith("EXPIRE"));
            assertThat(lab.ipv4Addresses(node)).containsExactly("192.0.2.100/24");
        }
    }

    @Test
    void informWithoutAnAddressIsOneLineAndStatusTwo() {
        assumeLab();
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabNode node = lab.client(0);
            LabProcess inform = runClientCommand(lab, node, "inform", node.interfaceName(), "--inform");
            assertThat(inform.exitCode()).contains(2);
            assertThat(inform.output().strip().lines().filter(l -> !l.contains(" INFO ") && !l.startsWith("WARNING")))
                    .containsExactly("leasehold client: --inform needs an IPv4 address configured on " + node.interfaceName()
                            + " (RFC 2131 §4.4.3); it has none");
        }
    }

    private static List<String> defaultRoutes(NetnsLab lab, LabNode node) {
        return lab.ipv4Routes(node).stream().filter(r -> r.startsWith("default ")).toList();
    }

    private static int renewals(ClientLab.RunningClient client) {
        return (int) client.events().stream().filter(e -> e.startsWith("RENEW ")).count();
    }
}
