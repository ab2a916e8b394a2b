package dev.leasehold.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetransmissionBackoffTest {

    @Test
    void delaysDoubleFromFourToSixtyFourSecondsEachWithinOneSecond() {
        SplittableRandom random = new SplittableRandom(1);
        long[] bases = {4, 8, 16, 32, 64, 64, 64};
        for (int attempt = 0; attempt < bases.length; attempt++) {
            for (int i = 0; i < 200; i++) {
                Duration d = RetransmissionBackoff.RFC_2131.delay(attempt, random);
                assertThat(d).isBetween(Duration.ofSeconds(bases[attempt] - 1), Duration.ofSeconds(bases[attempt] + 1));
            }
        }
    }

    @Test
    void jitterActuallyVaries() {
        SplittableRandom random = new SplittableRandom(2);
        Duration a = RetransmissionBackoff.RFC_2131.delay(0, random);
        Duration b = RetransmissionBackoff.RFC_2131.delay(0, random);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void jitterAsLargeAsTheFirstDelayIsRefused() {
        assertThatThrownBy(() -> new RetransmissionBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
