package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacer on a fake clock: parks are recorded and move the clock, nothing sleeps. */
class RelayReplyPacerTest {

    private static final Ipv4Address RELAY = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Address OTHER = Ipv4Address.parse("10.9.0.2");

    private long now = 1_000_000_000L;
    private final List<Long> parks = new ArrayList<>();
    private final RelayReplyPacer pacer = new RelayReplyPacer(() -> now, nanos -> {
        parks.add(nanos);
        now += nanos;
    });

    /** {@code count} requests from {@code relay}, evenly over {@code nanos}. */
    private void requests(Ipv4Address relay, int count, long nanos) {
        for (int i = 0; i < count; i++) {
            pacer.requestFrom(relay);
            now += nanos / count;
        }
    }

    @Test
    void anUnmeasuredRelayIsNeverHeldBack() {
        pacer.requestFrom(RELAY);
        for (int i = 0; i < 1_000; i++) {
            assertThat(pacer.awaitTurn(RELAY)).isZero();
        }
        assertThat(pacer.awaitTurn(OTHER)).isZero();
        assertThat(parks).isEmpty();
    }

    @Test
    void repliesAtTheRelaysOwnRateGoOutAtOnce() {
        // 10,000 requests a second for half a second, each answered as it comes.
        for (int i = 0; i < 5_000; i++) {
            pacer.requestFrom(RELAY);
            assertThat(pacer.awaitTurn(RELAY)).isZero();
            now += 100_000;
        }
        assertThat(parks).isEmpty();
        assertThat(pacer.requestRate(RELAY)).isBetween(9_000.0, 11_000.0);
    }

    @Test
    void aBacklogIsSentAtTwiceTheRelaysRateAfterAFreeBurst() {
        requests(RELAY, 3_000, 300_000_000L); // 10,000/s, measured
        // A stall: 500 replies are ready at once.
        long start = now;
        int sentWithoutWait = 0;
        for (int i = 0; i < 500; i++) {
            if (pacer.awaitTurn(RELAY) == 0 && parks.isEmpty()) {
                sentWithoutWait++;
            }
        }
        assertThat(sentWithoutWait).isBetween(RelayReplyPacer.BURST - 1, RelayReplyPacer.BURST + 8);
        // The rest at about 20,000/s: (500 - 64) / 20,000 s ≈ 22 ms.
        double seconds = (now - start) / 1e9;
        assertThat(seconds).isBetween(0.015, 0.030);
        assertThat(parks).allSatisfy(p -> assertThat(p).isBetween(RelayReplyPacer.MIN_PARK_NANOS,
                RelayReplyPacer.MAX_PARK_NANOS));
    }

    @Test
    void eachRelayHasItsOwnPace() {
        requests(RELAY, 3_000, 300_000_000L);
        for (int i = 0; i < 500; i++) {
            pacer.awaitTurn(RELAY);
        }
        int parked = parks.size();
        pacer.requestFrom(OTHER);
        assertThat(pacer.awaitTurn(OTHER)).isZero();
        assertThat(parks).hasSize(parked);
    }

    @Test
    void aRisingRateIsFollowedWithinTheWindowUnderWay() {
        requests(RELAY, 300, 300_000_000L); // 1,000/s
        // It now sends 20,000/s: within milliseconds its replies are paced to the new rate, not
        // the old (which would hold 2,000 replies for most of a second).
        long held = 0;
        for (int i = 0; i < 2_000; i++) {
            pacer.requestFrom(RELAY);
            held += pacer.awaitTurn(RELAY);
            now += 50_000;
        }
        assertThat(held).isLessThan(10_000_000L);
    }

    @Test
    void aRelayThatFellQuietStartsUnpaced() {
        requests(RELAY, 3_000, 300_000_000L);
        now += 5_000_000_000L;
        pacer.requestFrom(RELAY);
        for (int i = 0; i < 1_000; i++) {
            assertThat(pacer.awaitTurn(RELAY)).isZero();
        }
    }

    @Test
    void aSlowRelayIsNotPaced() {
        requests(RELAY, 40, 400_000_000L); // 100/s
        for (int i = 0; i < 1_000; i++) {
            assertThat(pacer.awaitTurn(RELAY)).isZero();
        }
    }
}
