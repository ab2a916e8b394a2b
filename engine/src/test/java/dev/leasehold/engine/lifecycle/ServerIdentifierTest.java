package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import org.junit.jupiter.api.Test;

/**
 * Option 54 (RFC 2132 §9.7; RFC 2131 §4.3.1: the server identifier is "the IP address of the
 * server's interface") on an interface with several addresses: it must be our address inside
 * the subnet the client is served from, or the client's SELECTING REQUEST names a server that
 * never offered. A per-subnet {@code server-id} fixes it.
 */
class ServerIdentifierTest {

    /** Two subnets on eth0, the link that has 10.0.0.1/24 and 10.0.1.1/24. */
    private static final String TWO_SUBNETS_ON_ONE_INTERFACE = """
            valid-lifetime: 1h
            allocation: iterative
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                pools: [{range: 10.0.0.100-10.0.0.199}]
              - id: 2
                subnet: 10.0.1.0/24
                pools: [{range: 10.0.1.100-10.0.1.199}]
            """;

    @Test
    void theOfferNamesOurAddressInsideTheSubnetNotTheOneTheRequestReachedUsAt() {
        // The broadcast reached us at the secondary address; the client is served from 10.0.0.0/24.
        EngineHarness h = EngineHarness.start(TWO_SUBNETS_ON_ONE_INTERFACE)
                .withInterfaceAddresses("10.0.1.1", "10.0.0.1/24", "10.0.1.1/24");
        TestClient client = h.client("02:00:00:00:00:01");

        DhcpMessage offer = client.discover();

        assertThat(offer.yiaddr().toString()).startsWith("10.0.0.");
        assertThat(offer.serverIdentifier()).contains(ip("10.0.0.1"));
        Binding bound = client.dora();
        assertThat(bound.serverId()).isEqualTo(ip("10.0.0.1"));
    }

    @Test
    void aSelectingRequestNamingAnyOfOurInterfaceAddressesIsOurs() {
        EngineHarness h = EngineHarness.start(TWO_SUBNETS_ON_ONE_INTERFACE)
                .withInterfaceAddresses("10.0.1.1", "10.0.0.1/24", "10.0.1.1/24");
        TestClient client = h.client("02:00:00:00:00:01");
        DhcpMessage offer = client.discover();

        assertThat(client.requestSelecting(ip("10.0.0.1"), offer.yiaddr()).map(Replies::type)).contains(MessageType.ACK);
    }

    @Test
    void aConfiguredServerIdIsWhatRepliesCarryAndWhatRequestsMayName() {
        EngineHarness h = EngineHarness.start(TWO_SUBNETS_ON_ONE_INTERFACE.replace(
                "subnet: 10.0.0.0/24\n", "subnet: 10.0.0.0/24\n    server-id: 192.0.2.67\n"))
                .withInterfaceAddresses("10.0.0.1", "10.0.0.1/24");
        TestClient client = h.client("02:00:00:00:00:01");

        DhcpMessage offer = client.discover();
        assertThat(offer.serverIdentifier()).contains(ip("192.0.2.67"));
        DhcpMessage ack = client.requestSelecting(ip("192.0.2.67"), offer.yiaddr()).orElseThrow();
        assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
        assertThat(ack.serverIdentifier()).contains(ip("192.0.2.67"));
    }

    @Test
    void aRelayedClientIsToldTheAddressTheRelayReachedUsAt() {
        EngineHarness h = EngineHarness.start(EngineHarness.BASE)
                .withInterfaceAddresses("10.0.9.1", "10.0.0.1/24", "10.0.2.1/24");
        DhcpMessage offer = h.relayedClient("02:00:00:00:00:07", ip("10.0.2.1"), "port-7").discover();

        assertThat(offer.serverIdentifier()).contains(ip("10.0.9.1"));
    }
}
