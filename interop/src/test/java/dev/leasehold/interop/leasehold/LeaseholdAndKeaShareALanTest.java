package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcpCapture;
import dev.leasehold.testkit.netns.DhcpCapture.Packet;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.KeaDhcp4;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSubnet;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.ServerSettings;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one LAN (RFC 2131 §3.1, §4.3.2): Leasehold on 192.0.2.1 with a pool of one
 * address, 192.0.2.100, and ISC Kea on 192.0.2.3 with 192.0.2.200–249, both in 192.0.2.0/24. Each
 * client is dhclient told to {@code reject} one server's offers, so each direction is taken on
 * purpose rather than left to whichever offer arrives first. Both servers offer; the client
 * requests from one, naming it in option 54; the chosen one stores the lease, the other stays
 * silent and stores nothing for that client. Leasehold is not {@code authoritative} here, as a
 * server sharing its network must not be: when the client that chose Kea reboots, Leasehold must
 * leave its INIT-REBOOT REQUEST to Kea.
 */
@Tag("netns")
class LeaseholdAndKeaShareALanTest {

    private static final Duration BIND = Duration.ofSeconds(20);
    private static final String LEASEHOLD = "192.0.2.1";
    private static final String KEA = "192.0.2.3";
    /** What Debian's /etc/dhcp/dhclient.conf requests, so that only the {@code reject} differs. */
    private static final String DHCLIENT_REQUESTS = "request subnet-mask, broadcast-address, time-offset, routers,"
            + " domain-name, domain-name-servers, domain-search, host-name;\n";

    /**
     * A client that rejects Leasehold takes Kea's offer, and Leasehold, seeing a REQUEST that names
     * Kea, answers nothing and withdraws its own offer: the next client, which rejects Kea, gets
     * the very address Leasehold had offered the first one, its only one. Had the offer been kept
     * for its {@code offer-hold} of 60 s, Leasehold would have had nothing to offer within the
     * 20 s the second client is given.
     */
    @Test
    void clientTakesOneServersOfferAndTheOtherWithdrawsItsOwnAndStoresNothing() throws IOException {
        assumeLabAvailable("kea-dhcp4", "dhclient", "tshark");
        try (NetnsLab lab = NetnsLab.create(3)) {
            LabNode keaNode = lab.addAddress(lab.client(0), KEA + "/24");
            ServerSettings common = ServerSettings.forLab(lab);
            LeaseholdServerProcess leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold",
                    LeaseholdServerProcess.config(withPool(common, List.of(lab.server().interfaceName()), "192.0.2.100", "192.0.2.100"),
                            "offer-hold: 60s"));
            LabProcess kea = new KeaDhcp4().start(lab, keaNode.namespace(),
                    withPool(common, List.of(keaNode.interfaceName()), "192.0.2.200", "192.0.2.249"));
            LabNode choosesKea = lab.client(1);
            LabNode choosesLeasehold = lab.client(2);
            DhcpCapture seenByFirst = DhcpCapture.start(lab, choosesKea);
            DhcpCapture seenBySecond = DhcpCapture.start(lab, choosesLeasehold);
            Dhclient dhclient = new Dhclient();

            // --- the first client rejects Leasehold and binds to Kea
            Path rejectLeasehold = dhclientConfig(lab, "reject-leasehold", LEASEHOLD);
            LabProcess first = dhclient.start(lab, choosesKea, rejectLeasehold);
            Packet keaAck = seenByFirst.await("Kea's ACK", 0, BIND, p -> p.is(MessageType.ACK) && p.source().equals(KEA));
            assertThat(keaAck.yiaddr()).matches("192\\.0\\.2\\.2[0-4]\\d");
            Packet leaseholdOffer = seenByFirst.await("Leasehold's OFFER to the first client", 0, BIND,
                    p -> p.is(MessageType.OFFER) && p.source().equals(LEASEHOLD));
            Packet request = seenByFirst.packets().stream().filter(p -> p.is(MessageType.REQUEST)).findFirst().orElseThrow();
            assertThat(request.serverId()).contains(KEA);
            assertThat(lab.awaitIpv4Address(choosesKea, BIND)).isEqualTo(keaAck.yiaddr() + "/24");
            // RFC 2131 §4.3.2: a REQUEST naming another server means our offer was declined.
            leasehold.process().awaitOutput("chose server " + KEA, BIND);

            // --- the second client rejects Kea and binds to Leasehold, at the withdrawn address
            dhclient.start(lab, choosesLeasehold, dhclientConfig(lab, "reject-kea", KEA));
            Packet leaseholdAck = seenBySecond.await("Leasehold's ACK", 0, BIND,
                    p -> p.is(MessageType.ACK) && p.source().equals(LEASEHOLD));
            seenBySecond.await("Kea's OFFER to the second client", 0, BIND, p -> p.is(MessageType.OFFER) && p.source().equals(KEA));
            assertThat(leaseholdAck.yiaddr()).as("the one address Leasehold offered the first client, withdrawn")
                    .isEqualTo(leaseholdOffer.yiaddr());
            assertThat(lab.awaitIpv4Address(choosesLeasehold, BIND)).isEqualTo(leaseholdAck.yiaddr() + "/24");

            // --- each server stored the lease of the client that chose it, and nothing for the other
            List<Lease> leaseholdLeases = Await.value("Leasehold to store the second client's lease", BIND,
                    () -> Optional.of(leasehold.leases()).filter(l -> !l.isEmpty()));
            assertThat(leaseholdLeases).as(leasehold.process().tail()).singleElement().satisfies(l -> {
                assertThat(l.hardwareAddress().toString()).isEqualTo(choosesLeasehold.mac());
                assertThat(l.address().toString()).isEqualTo(leaseholdAck.yiaddr());
                assertThat(l.state()).isEqualTo(LeaseState.ACTIVE);
            });
            List<String> keaLeases = Await.value("Kea to store the first client's lease", BIND, () -> {
                List<String> rows = keaLeaseRows(lab);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
            });
            assertThat(keaLeases).as(kea.tail()).allSatisfy(row -> assertThat(row).contains(choosesKea.mac()))
                    .anySatisfy(row -> assertThat(row).startsWith(keaAck.yiaddr() + ","));
            assertThat(keaLeaseRows(lab)).noneMatch(row -> row.contains(choosesLeasehold.mac()));

            // --- the first client reboots and asks for its Kea address in INIT-REBOOT: Kea
            // acknowledges it, and Leasehold, which has no record of the client and is not
            // authoritative, stays silent rather than NAK a client of another server (RFC 2131 §4.3.2)
            first.kill(BIND);
            int mark = seenByFirst.mark();
            dhclient.start(lab, choosesKea, rejectLeasehold);
            Packet initReboot = seenByFirst.await("the first client's INIT-REBOOT", mark, BIND, p -> p.is(MessageType.REQUEST));
            assertThat(initReboot.requestState()).contains("INIT-REBOOT");
            assertThat(initReboot.requested()).contains(keaAck.yiaddr());
            Packet rebootAck = seenByFirst.await("Kea's ACK of the INIT-REBOOT", mark, BIND,
                    p -> p.is(MessageType.ACK) && p.source().equals(KEA));
            assertThat(rebootAck.yiaddr()).isEqualTo(keaAck.yiaddr());
            // Leasehold logs the request it leaves unanswered; a reply of its own would show in the capture.
            Await.until("Leasehold to decide on the INIT-REBOOT", BIND,
                    () -> leasehold.process().output().contains("INIT-REBOOT for " + keaAck.yiaddr())
                            || seenByFirst.packetsSince(mark).stream().anyMatch(p -> p.source().equals(LEASEHOLD)));
            assertThat(seenByFirst.packetsSince(mark)).as(DhcpCapture.describe(seenByFirst.packetsSince(mark)))
                    .noneMatch(p -> p.source().equals(LEASEHOLD));

            // --- and neither server answered a REQUEST meant for the other
            assertThat(seenByFirst.packets().stream().filter(p -> p.source().equals(LEASEHOLD)).toList())
                    .as(DhcpCapture.describe(seenByFirst.packets()))
                    .allSatisfy(p -> assertThat(p.is(MessageType.OFFER)).isTrue());
            assertThat(seenBySecond.packets().stream().filter(p -> p.source().equals(KEA)).toList())
                    .as(DhcpCapture.describe(seenBySecond.packets()))
                    .allSatisfy(p -> assertThat(p.is(MessageType.OFFER)).isTrue());
        }
    }

    private static ServerSettings withPool(ServerSettings settings, List<String> interfaces, String first, String last) {
        return new ServerSettings(interfaces, List.of(new LabSubnet("192.0.2.0/24", first, last, LEASEHOLD)),
                settings.dnsServers(), settings.domainName(), settings.validLifetime(), settings.renewTimer(),
                settings.rebindTimer());
    }

    /** A dhclient.conf (dhclient.conf(5)) that discards every offer whose server identifier is {@code rejected}. */
    private static Path dhclientConfig(NetnsLab lab, String name, String rejected) throws IOException {
        Path file = lab.workDir().resolve(name + ".conf");
        Files.writeString(file, DHCLIENT_REQUESTS + "reject " + rejected + ";\n");
        return file;
    }

    /** Kea's memfile lease rows (address,hwaddr,client_id,valid_lifetime,expire,subnet_id,…), header left out. */
    private static List<String> keaLeaseRows(NetnsLab lab) {
        Path file = KeaDhcp4.leaseFile(lab);
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("address,")).toList()
                    : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
