package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/** Rapid commit (RFC 4039 §4): DISCOVER with option 80 on a subnet that allows it gets an ACK. */
class RapidCommitTest {

    private final EngineHarness rapid = EngineHarness.start(EngineHarness.BASE.replace("""
                interface: eth0
            """, """
                interface: eth0
                rapid-commit: true
            """));

    @Test
    void discoverWithRapidCommitIsAcknowledgedAtOnceAndTheLeaseStored() {
        TestClient client = rapid.client("02:00:00:00:00:01");

        DhcpMessage ack = client.discoverWithRapidCommit();

        assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
        assertThat(ack.options().contains(OptionCode.RAPID_COMMIT)).isTrue();
        assertThat(rapid.lease(ack.yiaddr()).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(client.binding().address()).isEqualTo(ack.yiaddr());
        assertThat(rapid.engine.outstandingOffers()).isZero();
    }

    @Test
    void discoverWithoutRapidCommitStillGetsAnOffer() {
        DhcpMessage offer = rapid.client("02:00:00:00:00:01").discover();

        assertThat(Replies.type(offer)).isEqualTo(MessageType.OFFER);
        assertThat(rapid.store.size()).isZero();
    }

    @Test
    void rapidCommitOnASubnetThatDoesNotAllowItGetsAnOffer() {
        EngineHarness plain = EngineHarness.start();

        DhcpMessage offer = plain.client("02:00:00:00:00:01").discoverWithRapidCommit();

        assertThat(Replies.type(offer)).isEqualTo(MessageType.OFFER);
        assertThat(offer.options().contains(OptionCode.RAPID_COMMIT)).isFalse();
        assertThat(plain.store.size()).isZero();
    }
}
