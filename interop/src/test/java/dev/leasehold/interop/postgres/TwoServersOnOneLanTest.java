package dev.leasehold.interop.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.postgres.LeaseAudit;
import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcpCapture;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.Dhcpcd;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabRequirements;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LabTimeoutException;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.RealClient;
import dev.leasehold.testkit.netns.Udhcpc;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's direct-LAN case: two Leasehold servers on one LAN, no relay, one PostgreSQL. Both
 * answer every DISCOVER (RFC 2131 §4.4.1: the client may get several offers), each real client
 * (dhclient, udhcpc, dhcpcd) takes one offer and REQUESTs it naming that server (option 54), and
 * the other server drops its own offer: it writes nothing, so each client holds exactly one lease
 * in the database, and no address is ever active for two clients (the audit's whole history).
 *
 * <p>Server A runs in the lab's server namespace (192.0.2.1), server B on node c1 (192.0.2.3),
 * each on its own interface of the one bridge; PostgreSQL runs beside A and listens on
 * 192.0.2.1 for B.
 */
@Tag("netns")
@Timeout(240)
class TwoServersOnOneLanTest {

    private static final Duration BIND = Duration.ofSeconds(40);
    private static final String A = "192.0.2.1";
    private static final String B = "192.0.2.3";

    private NetnsLab lab;
    private ThrowawayPostgres postgres;
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private String config(LabNode node) {
        return """
                interfaces: [%s]
                valid-lifetime: 120
                lease-store:
                  type: postgresql
                  url: 'jdbc:postgresql://%s:%d/leases'
                  user: %s
                options: {domain-name-servers: [192.0.2.53]}
                subnets:
                  - id: 1
                    subnet: 192.0.2.0/24
                    pools: [{range: 192.0.2.100-192.0.2.199}]
                    options: {routers: 192.0.2.1}
                """.formatted(node.interfaceName(), A, postgres.port(), ThrowawayPostgres.USER);
    }

    @Test
    void bothServersOfferEachClientTakesOneAndTheOtherOfferLeavesNoLease() throws Exception {
        LabRequirements.unmetReason("dhclient", "udhcpc", "dhcpcd", "tshark")
                .ifPresent(reason -> Assumptions.abort("skipped: " + reason));
        Assumptions.assumeTrue(ThrowawayPostgres.unavailableReason().isEmpty(),
                () -> "skipped: " + ThrowawayPostgres.unavailableReason().orElse(""));
        lab = NetnsLab.create(LabSpec.singleLan(4));
        LabNode serverB = lab.addAddress(lab.client(0), B + "/24");
        postgres = ThrowawayPostgres.startInNamespace(lab.server().namespace(), A, "192.0.2.0/24");
        postgres.createDatabase("leases");
        LeaseholdServerProcess a = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold-a",
                config(lab.server()));
        running.add(a);
        LeaseAudit audit = LeaseAudit.install(postgres, "leases");
        LeaseholdServerProcess b = LeaseholdServerProcess.start(lab, serverB.namespace(), "leasehold-b",
                config(serverB));
        running.add(b);

        List<RealClient> kinds = List.of(new Dhclient(), new Udhcpc(), new Dhcpcd());
        List<LabNode> nodes = List.of(lab.client(1), lab.client(2), lab.client(3));
        List<DhcpCapture> captures = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            DhcpCapture capture = DhcpCapture.start(lab, nodes.get(i));
            running.add(capture);
            captures.add(capture);
            LabProcess client = kinds.get(i).start(lab, nodes.get(i));
            running.add(client);
        }
        for (int i = 0; i < kinds.size(); i++) {
            LabNode node = nodes.get(i);
            String cidr = lab.awaitIpv4Address(node, BIND);
            String address = cidr.substring(0, cidr.indexOf('/'));
            String mac = node.mac().replace(":", "").toLowerCase(Locale.ROOT);
            DhcpCapture capture = captures.get(i);
            // tshark prints a packet a little after the client has used it: wait (bounded) for both offers.
            try {
                Await.until(kinds.get(i) + "'s capture to show offers from both servers", Duration.ofSeconds(15),
                        () -> offerers(capture, node).size() == 2);
            } catch (LabTimeoutException e) {
                // The assertion below says what was captured.
            }
            assertThat(offerers(capture, node)).as("%s: servers that offered\n%s", kinds.get(i),
                    DhcpCapture.describe(capture.packetsOf(node.mac()))).containsExactlyInAnyOrder(A, B);
            String[] row = audit.row(address).split(" ");
            assertThat(row).as("row of %s", address).hasSize(4);
            assertThat(row[1]).isEqualTo("active");
            assertThat(row[3]).as("hardware address of the holder of %s", address).isEqualTo(mac);
            String leases = postgres.psql("leases", "SELECT count(*) FROM lease WHERE state = 'active'"
                    + " AND hw_address = decode('" + mac + "', 'hex')").strip();
            assertThat(leases).as("%s: active leases in the database (the other offer left none)", kinds.get(i))
                    .isEqualTo("1");
        }
        assertThat(audit.doubleHolders()).isEmpty();
    }

    private static Set<String> offerers(DhcpCapture capture, LabNode node) {
        return capture.packetsOf(node.mac()).stream().filter(p -> p.is(MessageType.OFFER))
                .map(DhcpCapture.Packet::source).collect(Collectors.toSet());
    }
}
