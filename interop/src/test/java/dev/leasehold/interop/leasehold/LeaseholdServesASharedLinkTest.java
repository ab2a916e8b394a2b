package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.testkit.netns.Await;
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
import dev.leasehold.testkit.netns.Udhcpc;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two subnets on one wire, as real networks have them (a /24 ran full and a second was added):
 * the server's interface carries 192.0.2.1/24 and 203.0.113.1/24, the configuration puts both
 * subnets in one {@code shared-network}, and the first has only two pool addresses. dhclient and
 * udhcpc take those two; dhcpcd, third, must get an address of the second subnet, with that
 * subnet's router and with option 54 naming our address in that subnet (RFC 2132 §9.7: a
 * server identifier from the other subnet would make its REQUEST name a server that never
 * offered), and must then renew it by unicast to that address.
 */
@Tag("netns")
class LeaseholdServesASharedLinkTest {

    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration SCRIPT = Duration.ofSeconds(10);
    private static final Duration STOP = Duration.ofSeconds(10);

    @Test
    void realClientsGetAddressesFromBothSubnetsOfTheLinkAndRenewThem() {
        assumeLabAvailable("dhclient", "udhcpc", "dhcpcd", "tshark");
        try (NetnsLab lab = NetnsLab.create(LabSpec.singleLan(3))) {
            LabNode server = lab.addAddress(lab.server(), "203.0.113.1/24");
            LeaseholdServerProcess leasehold = LeaseholdServerProcess.start(lab, server.namespace(), "leasehold", """
                    interfaces: [%s]
                    authoritative: true
                    allocation: iterative
                    valid-lifetime: 30
                    min-lifetime: 30
                    max-lifetime: 30
                    renew-timer: 8
                    rebind-timer: 20
                    subnets:
                      - id: 1
                        subnet: 192.0.2.0/24
                        shared-network: lan
                        pools: [{range: 192.0.2.100-192.0.2.101}]
                        options: {routers: 192.0.2.1}
                      - id: 2
                        subnet: 203.0.113.0/24
                        shared-network: lan
                        pools: [{range: 203.0.113.100-203.0.113.199}]
                        options: {routers: 203.0.113.1}
                    """.formatted(server.interfaceName()));
            DhcpCapture capture = DhcpCapture.start(lab, server);
            List<RealClient> clients = List.of(new Dhclient(), new Udhcpc(), new Dhcpcd());
            List<String> expected = List.of("192\\.0\\.2\\.10[01]/24", "192\\.0\\.2\\.10[01]/24", "203\\.0\\.113\\.100/24");
            List<LabProcess> running = new java.util.ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                LabNode node = lab.client(i);
                running.add(clients.get(i).start(lab, node));
                String cidr = lab.awaitIpv4Address(node, BIND);
                assertThat(cidr).as(clients.get(i) + ": " + running.get(i).tail()).matches(expected.get(i));
            }

            LabNode third = lab.client(2);
            Await.until("a default route via 203.0.113.1 in " + third.namespace(), SCRIPT, () -> lab.ipv4Routes(third)
                    .stream().anyMatch(r -> r.startsWith("default via 203.0.113.1 ")));
            Packet ack = capture.await("dhcpcd's ACK", 0, SCRIPT, p -> p.mac().equals(third.mac()) && p.is(MessageType.ACK));
            assertThat(ack.serverId()).contains("203.0.113.1");
            Packet firstAck = capture.await("dhclient's ACK", 0, SCRIPT,
                    p -> p.mac().equals(lab.client(0).mac()) && p.is(MessageType.ACK));
            assertThat(firstAck.serverId()).contains("192.0.2.1");
            Lease stored = Await.value("the lease of 203.0.113.100", SCRIPT, () -> leasehold.leasesOf(third.mac()).stream()
                    .filter(l -> l.address().toString().equals("203.0.113.100")).findFirst());
            assertThat(stored.subnetId()).isEqualTo(2);

            // RENEWING (RFC 2131 §4.4.5): unicast to option 54, acknowledged.
            int mark = capture.mark();
            Packet renewal = capture.await("dhcpcd to renew", mark, Duration.ofSeconds(25),
                    p -> p.mac().equals(third.mac()) && p.requestState().filter("RENEWING"::equals).isPresent());
            assertThat(renewal.destination()).isEqualTo("203.0.113.1");
            capture.await("the ACK of dhcpcd's renewal", mark, SCRIPT,
                    p -> p.mac().equals(third.mac()) && p.is(MessageType.ACK) && p.time().isAfter(renewal.time()));
            for (LabProcess p : running) {
                p.kill(STOP);
            }
        }
    }
}
