package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.Await;
import dev.leasehold.testkit.netns.DhcRelay;
import dev.leasehold.testkit.netns.Dhclient;
import dev.leasehold.testkit.netns.KeaDhcp4;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.ServerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The relayed LAN end to end with reference parts: dhclient behind ISC dhcrelay gets an address
 * from the relay's subnet (RFC 2131 §4.3.1: the server picks the subnet by giaddr). The template
 * for issue 4's relay test.
 */
@Tag("netns")
class KeaServesRelayedClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void clientBehindRelayGetsAddressFromTheRelaysSubnet() {
        assumeLabAvailable("kea-dhcp4", "dhcrelay", "dhclient");
        try (NetnsLab lab = NetnsLab.create(LabSpec.singleLan(0).withRelayedLan(1))) {
            LabProcess kea = new KeaDhcp4().start(lab, lab.server().namespace(), ServerSettings.forLab(lab).withRelayedSubnet());
            DhcRelay.start(lab, lab.relay().orElseThrow(), lab.server().ipv4().orElseThrow());
            LabNode node = lab.relayedClients().getFirst();
            Dhclient dhclient = new Dhclient();

            LabProcess running = dhclient.start(lab, node);
            String address = lab.awaitIpv4Address(node, WAIT);

            assertThat(address).as(running.tail()).matches("198\\.51\\.100\\.1\\d\\d/24");
            Await.until("a default route via the relay", WAIT,
                    () -> lab.ipv4Routes(node).stream().anyMatch(r -> r.startsWith("default via 198.51.100.1 ")));
            // The release is a unicast to the server (RFC 2131 §4.4.6), routed through the relay namespace.
            dhclient.release(lab, node, running, WAIT);
            kea.awaitOutput("DHCP4_RELEASE", WAIT);
        }
    }
}
