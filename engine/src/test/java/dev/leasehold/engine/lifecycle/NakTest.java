package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/** DHCPNAK (RFC 2131 §4.3.2, table 3). */
class NakTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void nakThroughARelayHasTheBroadcastBitSoTheRelayBroadcastsIt() {
        // Behind the 10.0.2.0/24 relay, a client asks for an address of 10.0.0.0/24.
        DhcpMessage nak = h.relayedClient("02:00:00:00:00:01", ip("10.0.2.1"), "x")
                .requestSelecting(SERVER, ip("10.0.0.150")).orElseThrow();

        assertThat(Replies.type(nak)).isEqualTo(MessageType.NAK);
        assertThat(nak.broadcastFlag()).isTrue();
        assertThat(nak.giaddr()).isEqualTo(ip("10.0.2.1"));
    }

    @Test
    void nakToADirectClientCarriesOnlyWhatTableThreeAllows() {
        DhcpMessage nak = h.client("02:00:00:00:00:01").initReboot(ip("10.0.2.150")).orElseThrow();

        assertThat(Replies.type(nak)).isEqualTo(MessageType.NAK);
        assertThat(nak.broadcastFlag()).isFalse();   // the server broadcasts it anyway (§4.1)
        assertThat(nak.yiaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(nak.ciaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(Replies.address(nak, OptionCode.SERVER_IDENTIFIER)).isEqualTo(SERVER);
        for (int forbidden : new int[] {OptionCode.LEASE_TIME, OptionCode.RENEWAL_TIME, OptionCode.REBINDING_TIME,
                OptionCode.ROUTERS, OptionCode.SUBNET_MASK, OptionCode.DOMAIN_NAME_SERVERS}) {
            assertThat(nak.options().contains(forbidden)).as("option %d", forbidden).isFalse();
        }
    }
}
