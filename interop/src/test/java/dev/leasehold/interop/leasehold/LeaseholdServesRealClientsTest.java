package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeBinaries;
import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcRelay;
import dev.leasehold.testkit.netns.DhcpCapture;
import dev.leasehold.testkit.netns.DhcpCapture.Packet;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.Dhcpcd;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.RealClient;
import dev.leasehold.testkit.netns.ServerSettings;
import dev.leasehold.testkit.netns.Udhcpc;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Leasehold ({@code leasehold serve}, per-interface sockets on port 67) serving dhclient, udhcpc
 * and dhcpcd, real and independently written clients, in one lab: the server's LAN
 * 192.0.2.0/24 (server 192.0.2.1, clients c1–c4) and, behind ISC dhcrelay, the relayed LAN
 * 198.51.100.0/24 (relay 198.51.100.1, client d1). The server is the only one on either network,
 * so it is {@code authoritative}. Leases are short (30 s, T1 8 s, T2 20 s) so that renewal
 * happens within the test. A tshark capture on the server's interface shows how each client
 * asked; the server's journal, read while it runs, shows what it stored.
 *
 * <p>Every test has a node of its own and the server keeps each client apart, so the tests of
 * this class run side by side ({@code @Execution(CONCURRENT)} on each, not on the class, which
 * would let the class run beside other classes): most of their time goes on waiting for lease
 * timers.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseholdServesRealClientsTest {

    private static final int VALID = 30;
    private static final int T1 = 8;
    private static final int T2 = 20;
    /** dhcpcd alone spends about 5 s ARP-probing (RFC 5227) before it binds. */
    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration SCRIPT = Duration.ofSeconds(10);
    private static final Duration RELEASE = Duration.ofSeconds(15);
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final String SERVER = "192.0.2.1";
    private static final String RELAY = "198.51.100.1";

    private NetnsLab lab;
    private LeaseholdServerProcess leasehold;
    private DhcpCapture capture;

    @BeforeAll
    void startLeaseholdRelayAndCapture() {
        assumeLabAvailable("dhcrelay", "tshark");
        lab = NetnsLab.create(LabSpec.singleLan(4).withRelayedLan(1));
        ServerSettings settings = ServerSettings.forLab(lab).withRelayedSubnet().withLifetimes(VALID, T1, T2);
        leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold",
                LeaseholdServerProcess.config(settings, "authoritative: true"));
        capture = DhcpCapture.start(lab, lab.server());
        DhcRelay.start(lab, lab.relay().orElseThrow(), SERVER);
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * A client on its own node (c1, c2 or c3), how it comes back after a reboot, and when it
     * renews a lease with T1 = 8 s, measured from the lease's start on the server, which the
     * journal keeps in whole seconds (RFC 2131 §4.4.5 asks for some random fuzz around T1):
     * <ul>
     * <li>dhclient keeps its lease in a file and reboots with an INIT-REBOOT REQUEST (RFC 2131
     *     §3.2); it draws its renewal time from [0.75·T1, T1] and counts whole seconds;
     * <li>udhcpc keeps no lease, so a restarted udhcpc DISCOVERs and gets its address back by the
     *     server's affinity (RFC 2131 §4.3.1); it ignores option 58 and renews at half the lease;
     * <li>dhcpcd keeps its lease in a file and reboots with INIT-REBOOT; it counts T1 from the
     *     moment it binds, after some 5 s of ARP probing (RFC 5227).
     * </ul>
     */
    record ClientCase(RealClient client, int index, String rebootsWith, Duration renewsFrom, Duration renewsBy) {
        @Override
        public String toString() {
            return client.toString();
        }
    }

    Stream<ClientCase> clients() {
        return Stream.of(
                new ClientCase(new Dhclient(), 0, "INIT-REBOOT", Duration.ofSeconds(T1 * 3 / 4 - 1), Duration.ofSeconds(T1 + 2)),
                new ClientCase(new Udhcpc(), 1, "DISCOVER", Duration.ofSeconds(VALID / 2 - 1), Duration.ofSeconds(VALID / 2 + 2)),
                new ClientCase(new Dhcpcd(), 2, "INIT-REBOOT", Duration.ofSeconds(T1 - 1), Duration.ofSeconds(T1 + 7)));
    }

    @ParameterizedTest(name = "{0}")
    @Execution(ExecutionMode.CONCURRENT)
    @MethodSource("clients")
    void clientBindsRenewsAtT1RebootsReleasesComesBackAndMovesToAnotherLan(ClientCase c) {
        RealClient client = c.client();
        String rebootsWith = c.rebootsWith();
        int index = c.index();
        assumeBinaries(client.binary());
        LabNode node = lab.client(index);
        String mac = node.mac();

        // --- bind: address and prefix (RFC 2132 §3.3), default route (§3.5), DNS servers (§3.8)
        int mark = capture.mark();
        LabProcess running = client.start(lab, node);
        String cidr = lab.awaitIpv4Address(node, BIND);
        assertThat(cidr).as(running.tail()).matches("192\\.0\\.2\\.1\\d\\d/24");
        String address = cidr.substring(0, cidr.indexOf('/'));
        Await.until("a default route via " + SERVER + " in " + node.namespace(), SCRIPT, () -> lab.ipv4Routes(node).stream()
                .anyMatch(r -> r.startsWith("default via " + SERVER + " dev " + node.interfaceName())));
        Await.until("the DNS servers in resolv.conf of " + node.namespace(), SCRIPT,
                () -> lab.resolvConf(node).contains("nameserver 192.0.2.53"));
        assertThat(lab.resolvConf(node)).contains("nameserver 192.0.2.54");
        Lease bound = storedLease(mac, address);
        assertThat(bound.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(bound.subnetId()).isEqualTo(1);
        assertThat(Duration.between(bound.start(), bound.expiresAt())).isEqualTo(Duration.ofSeconds(VALID));

        // --- renew (RFC 2131 §4.4.5): a unicast REQUEST from RENEWING, and the lease end moves
        Packet renewal = capture.await(client + " to renew", mark, Duration.ofSeconds(T2 + 5),
                p -> p.mac().equals(mac) && p.requestState().filter("RENEWING"::equals).isPresent());
        assertThat(renewal.ciaddr()).isEqualTo(address);
        assertThat(renewal.destination()).isEqualTo(SERVER);
        capture.await("the ACK of " + client + "'s renewal", mark, Duration.ofSeconds(5),
                p -> p.is(MessageType.ACK) && p.mac().equals(mac) && p.time().isAfter(renewal.time()));
        Lease renewed = storedLease(mac, address);
        Duration renewedAfter = Duration.between(bound.start(), renewed.start());
        System.out.printf("%s renewed %d ms after binding (T1 %d s, T2 %d s)%n", client, renewedAfter.toMillis(), T1, T2);
        assertThat(renewed.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(renewed.expiresAt()).isAfter(bound.expiresAt());
        assertThat(Duration.between(renewed.start(), renewed.expiresAt())).isEqualTo(Duration.ofSeconds(VALID));
        assertThat(renewedAfter).isBetween(c.renewsFrom(), c.renewsBy());

        // --- reboot: killed (nothing released), started again, same address
        running.kill(STOP);
        mark = capture.mark();
        running = client.start(lab, node);
        Packet rebootAck = awaitAck(client + " to be acknowledged after its restart", mark, mac);
        Packet firstAfterReboot = capture.packetsSince(mark).stream().filter(p -> p.mac().equals(mac)).findFirst().orElseThrow();
        String rebootPath = firstAfterReboot.requestState().orElse(firstAfterReboot.type().map(Enum::name).orElse("?"));
        System.out.printf("%s after a restart: %s%n", client, firstAfterReboot.describe());
        assertThat(rebootAck.yiaddr()).as(DhcpCapture.describe(capture.packetsSince(mark))).isEqualTo(address);
        assertThat(rebootPath).as(firstAfterReboot.describe()).isEqualTo(rebootsWith);
        if (rebootsWith.equals("INIT-REBOOT")) {
            assertThat(firstAfterReboot.requested()).contains(address);
        }
        Await.until(client + " to configure " + address + " again", SCRIPT,
                () -> lab.ipv4Addresses(node).equals(List.of(address + "/24")));

        // --- release (RFC 2131 §4.4.6): the server marks the lease released
        mark = capture.mark();
        client.release(lab, node, running, RELEASE);
        lab.awaitNoIpv4Address(node, RELEASE);
        Packet release = capture.await(client + " to send DHCPRELEASE", mark, RELEASE,
                p -> p.mac().equals(mac) && p.is(MessageType.RELEASE));
        assertThat(release.ciaddr()).isEqualTo(address);
        Lease released = Await.value("the server to store the release of " + address, RELEASE,
                () -> Optional.of(storedLease(mac, address)).filter(l -> l.state() == LeaseState.RELEASED));
        // The lease ends when it was released, not at the end of its term.
        assertThat(released.expiresAt()).isBetween(release.time().minusSeconds(1), release.time().plusSeconds(2));

        // --- started again after the release: the server's affinity (RFC 2131 §4.3.1) gives the
        // released address back to its last holder
        mark = capture.mark();
        running = client.start(lab, node);
        Packet afterRelease = awaitAck(client + " to be acknowledged after its release", mark, mac);
        assertThat(afterRelease.yiaddr()).as(DhcpCapture.describe(capture.packetsSince(mark))).isEqualTo(address);
        System.out.printf("%s after a release: %s%n", client,
                capture.packetsSince(mark).stream().filter(p -> p.mac().equals(mac)).findFirst().orElseThrow().describe());
        Await.until(client + " to configure " + address + " again", BIND,
                () -> lab.ipv4Addresses(node).equals(List.of(address + "/24")));

        // --- carried to the relayed LAN (killed, re-plugged, started): a client that remembers its
        // lease asks for it in INIT-REBOOT, gets a DHCPNAK (RFC 2131 §4.3.2: wrong network), and
        // then a lease of the network it is on; udhcpc remembers nothing and just DISCOVERs there.
        running.kill(STOP);
        lab.moveCable(node, "br1");
        try {
            mark = capture.mark();
            running = client.start(lab, node);
            Packet moved = capture.await(client + " to be acknowledged on the relayed LAN", mark, BIND,
                    p -> p.mac().equals(mac) && p.is(MessageType.ACK) && p.yiaddr().startsWith("198.51.100."));
            List<Packet> sent = capture.packetsSince(mark).stream().filter(p -> p.mac().equals(mac)).toList();
            if (rebootsWith.equals("INIT-REBOOT")) {
                assertThat(sent.getFirst().requestState()).as(DhcpCapture.describe(sent)).contains("INIT-REBOOT");
                assertThat(sent.getFirst().requested()).contains(address);
                assertThat(sent.getFirst().giaddr()).isEqualTo(RELAY);
                assertThat(sent.stream().filter(p -> p.is(MessageType.NAK)).findFirst())
                        .as(DhcpCapture.describe(sent)).isPresent()
                        .get().satisfies(nak -> assertThat(nak.time()).isBefore(moved.time()));
            } else {
                assertThat(sent.getFirst().is(MessageType.DISCOVER)).as(DhcpCapture.describe(sent)).isTrue();
            }
            String movedAddress = moved.yiaddr();
            Await.until(client + " to configure " + movedAddress + " in place of " + address, BIND,
                    () -> lab.ipv4Addresses(node).equals(List.of(movedAddress + "/24")));
            assertThat(storedLease(mac, movedAddress).subnetId()).isEqualTo(2);
            running.kill(STOP);
        } finally {
            lab.moveCable(node, "br0");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void clientBehindDhcrelayGetsAnAddressFromTheRelaysSubnet() {
        assumeBinaries("dhclient");
        LabNode node = lab.relayedClients().getFirst();
        Dhclient dhclient = new Dhclient();
        int mark = capture.mark();

        LabProcess running = dhclient.start(lab, node);
        String cidr = lab.awaitIpv4Address(node, BIND);

        // RFC 2131 §4.3.1: the subnet is the one giaddr lies in, not the server interface's.
        assertThat(cidr).as(running.tail()).matches("198\\.51\\.100\\.1\\d\\d/24");
        String address = cidr.substring(0, cidr.indexOf('/'));
        Await.until("a default route via the relay", SCRIPT,
                () -> lab.ipv4Routes(node).stream().anyMatch(r -> r.startsWith("default via " + RELAY + " ")));
        Packet relayed = capture.await("the relayed REQUEST", mark, SCRIPT,
                p -> p.mac().equals(node.mac()) && p.is(MessageType.REQUEST));
        assertThat(relayed.giaddr()).isEqualTo(RELAY);
        Lease lease = storedLease(node.mac(), address);
        assertThat(lease.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(lease.subnetId()).isEqualTo(2);

        // The release is a unicast to the server, routed through the relay's namespace.
        dhclient.release(lab, node, running, RELEASE);
        Await.value("the server to store the release of " + address, RELEASE,
                () -> Optional.of(storedLease(node.mac(), address)).filter(l -> l.state() == LeaseState.RELEASED));
    }

    /**
     * RFC 2131 §4.3.2: an INIT-REBOOT REQUEST for an address that is wrong for the client's
     * network gets a DHCPNAK, broadcast since giaddr is 0 (§4.1); the client starts over with a
     * DISCOVER and gets an address of the network it is on. dhclient is given a lease of the
     * relayed LAN in its lease file, as if it had been carried over from there.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void initRebootForAnAddressOfAnotherNetworkGetsNakThenALeaseOnThisOne() throws IOException {
        assumeBinaries("dhclient");
        LabNode node = lab.client(3);
        String foreign = "198.51.100.150";
        Files.writeString(Dhclient.leaseFile(lab, node), rememberedLease(node, foreign, RELAY));
        int mark = capture.mark();

        LabProcess running = new Dhclient().start(lab, node);

        Packet initReboot = capture.await("dhclient's INIT-REBOOT REQUEST", mark, BIND,
                p -> p.mac().equals(node.mac()) && p.is(MessageType.REQUEST));
        assertThat(initReboot.requestState()).contains("INIT-REBOOT");
        assertThat(initReboot.requested()).contains(foreign);
        Packet nak = capture.await("Leasehold's NAK", mark, SCRIPT, p -> p.mac().equals(node.mac()) && p.is(MessageType.NAK));
        assertThat(nak.source()).isEqualTo(SERVER);
        assertThat(nak.destination()).isEqualTo("255.255.255.255");
        Packet ack = capture.await("Leasehold's ACK", mark, BIND, p -> p.mac().equals(node.mac()) && p.is(MessageType.ACK));
        assertThat(ack.yiaddr()).startsWith("192.0.2.1");
        String cidr = lab.awaitIpv4Address(node, BIND);
        assertThat(cidr).as(running.tail()).isEqualTo(ack.yiaddr() + "/24");
        assertThat(running.output()).contains("DHCPNAK from " + SERVER);
        assertThat(capture.packetsSince(mark).stream().filter(p -> p.mac().equals(node.mac())).map(Packet::type)
                .flatMap(Optional::stream).toList())
                .as(DhcpCapture.describe(capture.packetsSince(mark)))
                .containsSubsequence(MessageType.REQUEST, MessageType.NAK, MessageType.DISCOVER, MessageType.OFFER,
                        MessageType.REQUEST, MessageType.ACK);
    }

    private Packet awaitAck(String what, int mark, String mac) {
        return capture.await(what, mark, BIND, p -> p.mac().equals(mac) && p.is(MessageType.ACK));
    }

    /** The lease the server has stored for {@code address}, which must be this client's (by MAC). */
    private Lease storedLease(String mac, String address) {
        return Await.value("Leasehold to store " + address + " for " + mac, SCRIPT,
                () -> leasehold.leasesOf(mac).stream().filter(l -> l.address().toString().equals(address)).findFirst());
    }

    /**
     * A dhclient lease-file entry (dhclient.leases(5)) for {@code address}, unexpired, as dhclient
     * writes them: dhclient starts with an INIT-REBOOT REQUEST for it.
     */
    private static String rememberedLease(LabNode node, String address, String router) {
        String later = dhclientTime(LocalDateTime.now(ZoneOffset.UTC).plusHours(1));
        return """
                lease {
                  interface "%s";
                  fixed-address %s;
                  option subnet-mask 255.255.255.0;
                  option routers %s;
                  option dhcp-lease-time 7200;
                  option dhcp-message-type 5;
                  option dhcp-server-identifier %s;
                  renew %s;
                  rebind %s;
                  expire %s;
                }
                """.formatted(node.interfaceName(), address, router, router, later, later, later);
    }

    /** "W YYYY/MM/DD HH:MM:SS" in UTC, W the day of the week with Sunday 0, as dhclient.leases(5) says. */
    private static String dhclientTime(LocalDateTime utc) {
        return "%d %s".formatted(utc.getDayOfWeek().getValue() % 7,
                utc.format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")));
    }
}
