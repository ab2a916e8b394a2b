package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When the lease store cannot write (DESIGN §3, "durable before acknowledged"): no ACK for a
 * lease that is not stored, no address lost from the pool, and service back once writes work.
 */
class StoreFailureTest {

    private final FlakyLeaseStore store = new FlakyLeaseStore();
    private final EngineHarness h = EngineHarness.start(EngineHarness.BASE.replace("""
                interface: eth0
            """, """
                interface: eth0
                rapid-commit: true
            """), store);

    @Test
    void requestThatCannotBeStoredGetsNoAckAndSucceedsOnceTheStoreRecovers() {
        TestClient client = h.client("02:00:00:00:00:01");
        DhcpMessage offer = client.discover();
        store.failWrites(true);

        assertThat(client.select(offer)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.STORE_UNAVAILABLE);
        assertThat(h.store.size()).isZero();

        store.failWrites(false);
        assertThat(client.select(offer).map(Replies::type)).contains(MessageType.ACK);
    }

    @Test
    void renewalWhileTheStoreCannotWriteIsAcknowledgedForTheTimeLeft() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();
        h.clock.advance(Duration.ofMinutes(40));
        store.failWrites(true);

        DhcpMessage ack = client.renew().orElseThrow();

        assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
        assertThat(Replies.u32(ack, OptionCode.LEASE_TIME)).hasValue(20 * 60);
        assertThat(h.lease(bound.address()).orElseThrow().expiresAt()).isEqualTo(bound.expiresAt());
    }

    @Test
    void selectingAFreeAddressThatCannotBeStoredLeavesItInThePool() {
        long freeBefore = h.freeAddresses(1);
        store.failWrites(true);

        assertThat(h.client("02:00:00:00:00:01").requestSelecting(EngineHarness.SERVER,
                EngineHarness.ip("10.0.0.150"))).isEmpty();

        assertThat(h.freeAddresses(1)).isEqualTo(freeBefore);
    }

    @Test
    void rapidCommitThatCannotBeStoredLeavesTheAddressInThePool() {
        long freeBefore = h.freeAddresses(1);
        store.failWrites(true);

        assertThat(h.client("02:00:00:00:00:01").tryDiscover(null, true)).isEmpty();

        assertThat(h.lastDropReason()).isEqualTo(DropReason.STORE_UNAVAILABLE);
        assertThat(h.freeAddresses(1)).isEqualTo(freeBefore);
    }
}
