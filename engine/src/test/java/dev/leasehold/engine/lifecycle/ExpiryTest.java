package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Expiry (RFC 2131 §4.4.5, "the client MUST stop using the address"): the reclaimer returns
 * expired leases to the pool, keeps them as EXPIRED for affinity and counts them.
 */
class ExpiryTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void leaseIsNotReclaimedBeforeItExpires() {
        Binding bound = h.client("02:00:00:00:00:01").dora();
        h.clock.advance(Duration.ofHours(1).minusSeconds(1));

        assertThat(h.engine.reclaimExpired(100)).isZero();
        assertThat(h.lease(bound.address()).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);
    }

    @Test
    void expiredLeaseIsReturnedToThePoolAsExpiredAndCounted() {
        Binding bound = h.client("02:00:00:00:00:01").dora();
        long freeWhileBound = h.freeAddresses(1);
        h.clock.set(bound.expiresAt());

        assertThat(h.engine.reclaimExpired(100)).isEqualTo(1);

        assertThat(h.lease(bound.address()).orElseThrow().state()).isEqualTo(LeaseState.EXPIRED);
        assertThat(h.engine.counters().reclaimedCount()).isEqualTo(1);
        assertThat(h.freeAddresses(1)).isEqualTo(freeWhileBound + 1);
    }

    @Test
    void reclaimerTakesAtMostTheGivenNumberPerRun() {
        for (int i = 0; i < 5; i++) {
            h.client("02:00:00:00:00:0" + i).dora();
        }
        h.clock.advance(Duration.ofHours(2));

        assertThat(h.engine.reclaimExpired(3)).isEqualTo(3);
        assertThat(h.engine.reclaimExpired(3)).isEqualTo(2);
        assertThat(h.engine.reclaimExpired(3)).isZero();
        assertThat(h.engine.counters().reclaimedCount()).isEqualTo(5);
    }

    @Test
    void renewedLeaseIsNotReclaimedAtItsOldExpiry() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();
        h.clock.set(bound.renewAt());
        assertThat(client.renew().map(Replies::type)).contains(MessageType.ACK);
        h.clock.set(bound.expiresAt());

        assertThat(h.engine.reclaimExpired(100)).isZero();
    }

    @Test
    void returningClientGetsItsExpiredAddressBack() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();
        h.clock.advance(Duration.ofDays(1));
        h.engine.reclaimExpired(100);
        h.client("02:00:00:00:00:02").dora();

        assertThat(client.dora().address()).isEqualTo(bound.address());
    }

    @Test
    void expiredButNotYetReclaimedAddressGoesBackToItsOwnClient() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();
        h.clock.advance(Duration.ofHours(2));

        assertThat(client.dora().address()).isEqualTo(bound.address());
    }
}
