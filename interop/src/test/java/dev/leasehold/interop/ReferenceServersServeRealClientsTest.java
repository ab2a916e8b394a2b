package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabTimeoutException;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.RealClient;
import dev.leasehold.testkit.netns.ReferenceServer;
import dev.leasehold.testkit.netns.ServerSettings;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab end to end with reference parts only: Kea, dnsmasq or ISC dhcpd in the server namespace,
 * dhclient, udhcpc or dhcpcd in a client namespace. The template for the Leasehold interop tests
 * (issue 4), which swap the reference server for {@code dev.leasehold.cli.Main serve --config FILE}
 * started with {@code lab.start(..., JavaCommand.ofCurrentJvm().main(...))}, and for the Leasehold
 * client's (issue 5), which swaps the client.
 */
@Tag("netns")
class ReferenceServersServeRealClientsTest {

    /** dhcpcd alone spends about 5 s ARP-probing (RFC 5227) before it binds. */
    private static final Duration BIND = Duration.ofSeconds(30);
    private static final Duration RELEASE = Duration.ofSeconds(15);
    private static final Duration SCRIPT = Duration.ofSeconds(10);

    static Stream<Arguments> serversAndClients() {
        return ReferenceServer.all().stream()
                .flatMap(server -> RealClient.all().stream().map(client -> Arguments.of(server, client)));
    }

    @ParameterizedTest(name = "{0} serves {1}")
    @MethodSource("serversAndClients")
    void clientGetsAddressRouteAndDnsThenReleasesThem(ReferenceServer server, RealClient client) {
        assumeLabAvailable(server.binary(), client.binary());
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess serving = server.start(lab, lab.server().namespace(), ServerSettings.forLab(lab));
            LabNode node = lab.client(0);

            LabProcess running = client.start(lab, node);
            String address = lab.awaitIpv4Address(node, BIND);

            // RFC 2132 §3.3 subnet mask → prefix; §3.5 routers → default route; §3.8 DNS servers.
            // The clients' scripts add the address first, then the route, then resolv.conf: wait for each.
            assertThat(address).as(running.tail()).matches("192\\.0\\.2\\.1\\d\\d/24");
            Await.until("a default route via 192.0.2.1 in " + node.namespace(), SCRIPT, () -> lab.ipv4Routes(node).stream()
                    .anyMatch(r -> r.startsWith("default via 192.0.2.1 dev " + node.interfaceName())));
            Await.until("the DNS servers in resolv.conf of " + node.namespace(), SCRIPT,
                    () -> lab.resolvConf(node).contains("nameserver 192.0.2.53"));
            assertThat(lab.resolvConf(node)).contains("nameserver 192.0.2.54");
            serving.awaitOutput(server.ackLogMarker(), RELEASE);
            assertThat(serving.output()).contains(address.substring(0, address.indexOf('/')));

            try {
                client.release(lab, node, running, RELEASE);
                lab.awaitNoIpv4Address(node, RELEASE);
                // RFC 2131 §4.3.4: the server learns of the release and frees the address.
                serving.awaitOutput(server.releaseLogMarker(), RELEASE);
            } catch (LabTimeoutException e) {
                throw new AssertionError(e.getMessage() + "\n" + running.tail() + "\n" + serving.tail(), e);
            }
        }
    }
}
