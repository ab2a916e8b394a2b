package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/**
 * Who a client is (RFC 2131 §4.2): option 61 when present, else htype + chaddr. Replies echo
 * option 61 (RFC 6842) and, to relays, option 82 (RFC 3046 §2.2).
 */
class IdentityTest {

    private static final byte[] ID_A = {(byte) 0xFF, 0, 0, 0, 1, 0, 1, 0x2A};  // type 255: IAID + DUID form
    private static final byte[] ID_B = {(byte) 0xFF, 0, 0, 0, 1, 0, 1, 0x2B};

    private final EngineHarness h = EngineHarness.start();

    @Test
    void clientIdTellsApartTwoClientsWithOneMac() {
        Binding a = h.clientWithId("02:00:00:00:00:01", ID_A).dora();
        Binding b = h.clientWithId("02:00:00:00:00:01", ID_B).dora();

        assertThat(a.address()).isNotEqualTo(b.address());
        assertThat(h.lease(a.address()).orElseThrow().clientId()).isEqualTo(new ClientId(ID_A));
        assertThat(h.lease(b.address()).orElseThrow().clientId()).isEqualTo(new ClientId(ID_B));
    }

    @Test
    void clientIdKeepsTheLeaseWhenTheMacChanges() {
        Binding before = h.clientWithId("02:00:00:00:00:01", ID_A).dora();

        TestClient newNic = h.clientWithId("02:00:00:00:00:99", ID_A);

        assertThat(newNic.discover().yiaddr()).isEqualTo(before.address());
    }

    @Test
    void withoutClientIdTheClientIsKnownByHtypeAndChaddr() {
        Binding bound = h.client("02:00:00:00:00:01").dora();

        assertThat(h.lease(bound.address()).orElseThrow().clientId())
                .isEqualTo(new ClientId(new byte[] {1, 2, 0, 0, 0, 0, 1}));
    }

    @Test
    void clientIdIsEchoedInOfferAckAndNak() {
        TestClient client = h.clientWithId("02:00:00:00:00:01", ID_A);
        DhcpMessage offer = client.discover();
        DhcpMessage ack = client.select(offer).orElseThrow();
        DhcpMessage nak = client.requestSelecting(SERVER, ip("192.168.1.1")).orElseThrow();

        assertThat(Replies.type(nak)).isEqualTo(MessageType.NAK);
        for (DhcpMessage reply : new DhcpMessage[] {offer, ack, nak}) {
            assertThat(reply.clientIdentifier()).as(Replies.type(reply).toString()).hasValue(ID_A);
        }
    }

    @Test
    void noClientIdIsSentToAClientThatSentNone() {
        assertThat(h.client("02:00:00:00:00:01").discover().options().contains(OptionCode.CLIENT_IDENTIFIER)).isFalse();
    }

    @Test
    void relayAgentInformationIsEchoedToTheRelay() {
        TestClient client = h.relayedClient("02:00:00:00:00:01", ip("10.0.2.1"), "port-7");
        byte[] sent = client.tailor(client.messages().discover(1, null, false)).options()
                .getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        DhcpMessage offer = client.discover();
        DhcpMessage ack = client.select(offer).orElseThrow();

        assertThat(offer.options().getUnsafe(OptionCode.RELAY_AGENT_INFORMATION)).isEqualTo(sent);
        assertThat(ack.options().getUnsafe(OptionCode.RELAY_AGENT_INFORMATION)).isEqualTo(sent);
    }
}
