package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/** DHCPINFORM (RFC 2131 §4.3.5): options for a client configured by hand; no lease, yiaddr 0. */
class InformTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void informIsAnsweredWithOptionsAndNoLease() {
        Ipv4Address manual = ip("10.0.0.55");

        DhcpMessage ack = h.client("02:00:00:00:00:01").inform(manual).orElseThrow();

        assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
        assertThat(ack.yiaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(ack.ciaddr()).isEqualTo(manual);
        assertThat(Replies.address(ack, OptionCode.SERVER_IDENTIFIER)).isEqualTo(SERVER);
        assertThat(Replies.address(ack, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.1"));
        assertThat(Replies.address(ack, OptionCode.DOMAIN_NAME_SERVERS)).isEqualTo(ip("10.0.0.53"));
        assertThat(Replies.address(ack, OptionCode.SUBNET_MASK)).isEqualTo(ip("255.255.255.0"));
        // RFC 2131 §4.3.5: the server MUST NOT send a lease expiration time.
        assertThat(ack.options().contains(OptionCode.LEASE_TIME)).isFalse();
        assertThat(ack.options().contains(OptionCode.RENEWAL_TIME)).isFalse();
        assertThat(ack.options().contains(OptionCode.REBINDING_TIME)).isFalse();
        assertThat(h.store.size()).isZero();
    }

    @Test
    void informGetsTheOptionsOfTheSubnetItsAddressIsIn() {
        DhcpMessage ack = h.relayedClient("02:00:00:00:00:01", ip("10.0.2.1"), "x").inform(ip("10.0.2.55")).orElseThrow();

        assertThat(Replies.address(ack, OptionCode.ROUTERS)).isEqualTo(ip("10.0.2.1"));
    }
}
