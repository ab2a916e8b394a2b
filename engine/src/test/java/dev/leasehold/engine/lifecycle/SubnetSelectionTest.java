package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/**
 * Which subnet serves a request (RFC 2131 §4.3.1): giaddr when relayed, else the relay's
 * link-selection sub-option (RFC 3527) wins over giaddr, else subnet selection (RFC 3011), else
 * the receiving interface.
 */
class SubnetSelectionTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void relayedDiscoverIsServedFromTheSubnetOfGiaddr() {
        DhcpMessage offer = h.relayedClient("02:00:00:00:00:01", ip("10.0.2.1"), "port-1").discover();

        assertThat(offer.yiaddr()).isEqualTo(ip("10.0.2.100"));
        assertThat(Replies.address(offer, OptionCode.ROUTERS)).isEqualTo(ip("10.0.2.1"));
        assertThat(offer.giaddr()).isEqualTo(ip("10.0.2.1"));
    }

    @Test
    void linkSelectionSubOptionWinsOverGiaddr() {
        // The relay sits in 10.0.2.0/24 but says the client's link is 10.0.0.0/24.
        TestClient client = h.relayedClient("02:00:00:00:00:02", ip("10.0.2.1"), "")
                .withOption(OptionCode.RELAY_AGENT_INFORMATION, new byte[] {
                    1, 4, 'p', 'o', 'r', 't',   // sub-option 1, circuit id "port"
                    5, 4, 10, 0, 0, 0});        // sub-option 5, link selection 10.0.0.0 (RFC 3527)

        assertThat(client.discover().yiaddr()).isEqualTo(ip("10.0.0.100"));
    }

    @Test
    void subnetSelectionOptionChoosesTheSubnetOfADirectClient() {
        // Arrives on eth0 (subnet 1) but asks, by option 118, for 10.0.2.0/24.
        TestClient client = h.client("02:00:00:00:00:03").withOption(OptionCode.SUBNET_SELECTION, new byte[] {10, 0, 2, 0});

        assertThat(client.discover().yiaddr()).isEqualTo(ip("10.0.2.100"));
    }

    @Test
    void subnetSelectionOptionComesBackIdenticalInOfferAndAck() {
        // RFC 3011 §3: a server that uses option 118 MUST return an identical copy, asked for or not.
        byte[] selection = {10, 0, 2, 0};
        TestClient client = h.client("02:00:00:00:00:0b").withOption(OptionCode.SUBNET_SELECTION, selection);

        DhcpMessage offer = client.discover();
        DhcpMessage ack = client.select(offer).orElseThrow();

        assertThat(offer.options().getUnsafe(OptionCode.SUBNET_SELECTION)).isEqualTo(selection);
        assertThat(ack.options().getUnsafe(OptionCode.SUBNET_SELECTION)).isEqualTo(selection);
        assertThat(ack.yiaddr()).isEqualTo(ip("10.0.2.100"));
    }

    @Test
    void subnetSelectionOffIgnoresTheOptionAndDoesNotEchoIt() {
        EngineHarness ignoring = EngineHarness.start("subnet-selection: false\n" + EngineHarness.BASE);
        TestClient client = ignoring.client("02:00:00:00:00:0c").withOption(OptionCode.SUBNET_SELECTION, new byte[] {10, 0, 2, 0});

        DhcpMessage offer = client.discover();

        assertThat(offer.yiaddr()).as("served from the arrival interface's subnet").isEqualTo(ip("10.0.0.100"));
        assertThat(offer.options().contains(OptionCode.SUBNET_SELECTION)).isFalse();
    }

    @Test
    void directClientIsServedFromTheSubnetOfItsInterface() {
        EngineHarness twoLinks = EngineHarness.start(EngineHarness.BASE.replace("""
                  - id: 2
                    subnet: 10.0.2.0/24
                """, """
                  - id: 2
                    subnet: 10.0.2.0/24
                    interface: eth1
                """));

        assertThat(twoLinks.client("02:00:00:00:00:04").discover().yiaddr()).isEqualTo(ip("10.0.0.100"));
        assertThat(twoLinks.arrivingOn("eth1").client("02:00:00:00:00:05").discover().yiaddr())
                .isEqualTo(ip("10.0.2.100"));
    }

    @Test
    void relayAddressListedForASubnetSelectsIt() {
        EngineHarness withRelay = EngineHarness.start(EngineHarness.BASE.replace("""
                    subnet: 10.0.2.0/24
                """, """
                    subnet: 10.0.2.0/24
                    relay-addresses: [192.168.5.1]
                """));

        assertThat(withRelay.relayedClient("02:00:00:00:00:06", ip("192.168.5.1"), "x").discover().yiaddr())
                .isEqualTo(ip("10.0.2.100"));
    }

    @Test
    void giaddrFromNoConfiguredNetworkIsDroppedAndCounted() {
        TestClient client = h.relayedClient("02:00:00:00:00:07", ip("192.168.77.1"), "x");

        assertThat(client.tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.NO_SUBNET);
        assertThat(h.engine.counters().droppedCount(DropReason.NO_SUBNET)).isEqualTo(1);
    }

    @Test
    void discoverOnAnInterfaceNoSubnetServesIsDropped() {
        h.arrivingOn("eth9");

        assertThat(h.client("02:00:00:00:00:08").tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.NO_SUBNET);
    }

    @Test
    void linkSelectionNamingNoConfiguredNetworkIsDropped() {
        TestClient client = h.relayedClient("02:00:00:00:00:09", ip("10.0.2.1"), "")
                .withOption(OptionCode.RELAY_AGENT_INFORMATION, new byte[] {
                    5, 4, (byte) 172, 16, 0, 0});   // sub-option 5, link selection 172.16.0.0: not ours

        assertThat(client.tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.NO_SUBNET);
    }

    @Test
    void subnetSelectionOptionFromARelayedClientWinsOverGiaddr() {
        // RFC 3011 §1: option 118 "takes precedence over the methods that the DHCP server uses to
        // determine the subnet", giaddr included (its motivating example is a relaying RAS device).
        TestClient client = h.relayedClient("02:00:00:00:00:0a", ip("10.0.2.1"), "x")
                .withOption(OptionCode.SUBNET_SELECTION, new byte[] {10, 0, 0, 0});

        assertThat(client.discover().yiaddr()).isEqualTo(ip("10.0.0.100"));
    }
}
