package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.KeaDhcp4;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.RealClient;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab end to end with a reference server: Kea in the server namespace, a real client in a
 * client namespace. This is the template for the Leasehold interop tests (issue 4), which swap
 * Kea for {@code java -cp … dev.leasehold.cli.Main serve --config FILE} started with
 * {@link NetnsLab#start}.
 */
@Tag("netns")
class KeaServesRealClientsTest {

    /** dhcpcd alone spends about 5 s ARP-probing (RFC 5227) before it binds. */
    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration RELEASE = Duration.ofSeconds(15);
    private static final Duration SCRIPT = Duration.ofSeconds(10);

    static Stream<RealClient> clients() {
        return RealClient.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void clientGetsAddressRouteAndDnsFromKeaThenReleasesThem(RealClient client) {
        assumeLabAvailable("kea-dhcp4", client.binary());
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess kea = KeaDhcp4.start(lab, lab.server().namespace(), KeaDhcp4.Config.forLab(lab));
            LabNode node = lab.client(0);

            LabProcess running = client.start(lab, node);
            String address = lab.awaitIpv4Address(node, BIND);

            // RFC 2132 §3.3 subnet mask → prefix; §3.5 routers → default route; §3.8 DNS servers.
            // The clients' scripts add the address first, then the route, then resolv.conf: wait for each.
            assertThat(address).as(running.tail()).matches("192\\.0\\.2\\.1\\d\\d/24");
            Await.until("a default route via 192.0.2.1 in " + node.namespace(), SCRIPT, () -> lab.ipv4Routes(node).stream()
                    .anyMatch(r -> r.startsWith("default via 192.0.2.1 dev " + node.interfaceName())));
            Await.until("Kea's DNS servers in resolv.conf of " + node.namespace(), SCRIPT,
                    () -> lab.resolvConf(node).contains("nameserver 192.0.2.53"));
            assertThat(lab.resolvConf(node)).contains("nameserver 192.0.2.54");
            String leased = address.substring(0, address.indexOf('/'));
            kea.awaitOutput("DHCP4_LEASE_ALLOC", RELEASE);
            assertThat(kea.output()).contains(leased);

            client.release(lab, node, running, RELEASE);
            lab.awaitNoIpv4Address(node, RELEASE);
            // RFC 2131 §4.3.4: the server marks the address free again.
            kea.awaitOutput("DHCP4_RELEASE", RELEASE);
        }
    }
}
