package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.SERVER;
import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * DHCPDECLINE (RFC 2131 §4.3.3): the address is in use by someone else, so it is held out of the
 * pool for the probation period (1h in these tests), counted, and never offered meanwhile.
 */
class DeclineTest {

    /** One pool address, so "never offered meanwhile" has no other address to hide behind. */
    private final EngineHarness h = EngineHarness.start(AddressChoiceTest.onePoolAddress());

    @Test
    void declinedAddressIsHeldOutCountedAndTheClientsLeaseEnds() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();

        assertThat(client.decline()).isEmpty();

        assertThat(h.lastDropReason()).isEqualTo(DropReason.NO_REPLY_EXPECTED);
        assertThat(h.engine.counters().declineCount()).isEqualTo(1);
        Lease lease = h.lease(bound.address()).orElseThrow();
        assertThat(lease.state()).isEqualTo(LeaseState.DECLINED);
        assertThat(lease.expiresAt()).isEqualTo(h.clock.instant().plus(Duration.ofHours(1)));
        assertThat(h.freeAddresses(1)).isZero();
    }

    @Test
    void declinedAddressIsNeverOfferedDuringProbation() {
        TestClient decliner = h.client("02:00:00:00:00:01");
        Ipv4Address declined = decliner.dora().address();
        decliner.decline();
        TestClient other = h.client("02:00:00:00:00:02");

        for (int minute = 0; minute < 60; minute += 10) {
            h.engine.reclaimExpired(100);
            assertThat(other.tryDiscover(declined, false)).as("minute %d", minute).isEmpty();
            assertThat(h.lastDropReason()).isEqualTo(DropReason.POOL_EXHAUSTED);
            assertThat(decliner.tryDiscover(null, false)).as("the decliner, minute %d", minute).isEmpty();
            assertThat(other.requestSelecting(SERVER, declined).map(Replies::type)).contains(MessageType.NAK);
            h.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        }
    }

    @Test
    void declinedAddressReturnsToThePoolWhenTheReclaimerRunsAfterProbation() {
        TestClient decliner = h.client("02:00:00:00:00:01");
        Ipv4Address declined = decliner.dora().address();
        decliner.decline();
        h.clock.advance(Duration.ofHours(1));

        h.engine.reclaimExpired(100);

        assertThat(h.client("02:00:00:00:00:02").discover().yiaddr()).isEqualTo(declined);
    }

    @Test
    void declineFromAClientThatDoesNotHoldTheAddressChangesNothing() {
        Binding bound = h.client("02:00:00:00:00:01").dora();
        Lease before = h.lease(bound.address()).orElseThrow();

        assertThat(h.client("02:00:00:00:00:02").decline(bound.address(), SERVER)).isEmpty();

        assertThat(h.lease(bound.address())).contains(before);
        assertThat(h.engine.counters().declineCount()).isZero();
    }

    @Test
    void declineOfAnAddressThatNobodyHoldsChangesNothing() {
        assertThat(h.client("02:00:00:00:00:02").decline(ip("10.0.0.100"), SERVER)).isEmpty();

        assertThat(h.store.size()).isZero();
        assertThat(h.freeAddresses(1)).isEqualTo(1);
    }

    @Test
    void declinerDoesNotRegainTheAddressByAffinityAfterProbation() {
        EngineHarness roomy = EngineHarness.start();
        TestClient decliner = roomy.client("02:00:00:00:00:01");
        Ipv4Address declined = decliner.dora().address();
        decliner.decline();
        roomy.clock.advance(Duration.ofHours(1));
        roomy.engine.reclaimExpired(100);

        // The address is usable again, but this client found it in use: it should get another.
        assertThat(decliner.discover().yiaddr()).isNotEqualTo(declined);
    }

    @Test
    void anOfferedAddressDeclinedBeforeAnyCommitIsNeverOfferedDuringProbation() {
        TestClient decliner = h.client("02:00:00:00:00:01");
        Ipv4Address offered = decliner.discover().yiaddr();

        // RFC 2131 §4.3.3: the client probed the offered address, found it in use, and declines it.
        assertThat(h.client("02:00:00:00:00:01").decline(offered, SERVER)).isEmpty();

        assertThat(h.engine.counters().declineCount()).isEqualTo(1);
        assertThat(h.lease(offered).orElseThrow().state()).isEqualTo(LeaseState.DECLINED);
        TestClient other = h.client("02:00:00:00:00:02");
        for (int minute = 0; minute < 60; minute += 10) {
            h.engine.reclaimExpired(100);
            assertThat(other.tryDiscover(offered, false)).as("minute %d", minute).isEmpty();
            assertThat(decliner.tryDiscover(null, false)).as("the decliner, minute %d", minute).isEmpty();
            h.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        }
        h.clock.advance(Duration.ofMinutes(1));
        h.engine.reclaimExpired(100);
        assertThat(other.discover().yiaddr()).isEqualTo(offered);
    }

    @Test
    void declineOfAnAddressOfferedToAnotherClientChangesNothing() {
        Ipv4Address offered = h.client("02:00:00:00:00:01").discover().yiaddr();

        assertThat(h.client("02:00:00:00:00:02").decline(offered, SERVER)).isEmpty();

        assertThat(h.lease(offered)).isEmpty();
        assertThat(h.engine.counters().declineCount()).isZero();
    }
}
