package dev.leasehold.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The retransmission delays of RFC 2131 §4.1: "the delay before the first retransmission SHOULD
 * be 4 seconds randomized by the value of a uniform random number chosen from the range -1 to +1
 * ... The delay before the next retransmission SHOULD be 8 seconds randomized by the same method
 * ... doubled with subsequent retransmissions up to a maximum of 64 seconds."
 *
 * @param first   the delay before the first retransmission (4 s)
 * @param maximum the largest delay (64 s)
 * @param jitter  the half-width of the uniform randomisation (1 s)
 */
public record RetransmissionBackoff(Duration first, Duration maximum, Duration jitter) {

    public static final RetransmissionBackoff RFC_2131 =
            new RetransmissionBackoff(Duration.ofSeconds(4), Duration.ofSeconds(64), Duration.ofSeconds(1));

    public RetransmissionBackoff {
        if (first.isNegative() || first.isZero() || maximum.compareTo(first) < 0 || jitter.isNegative()
                || jitter.compareTo(first) >= 0) {
            throw new IllegalArgumentException("need 0 < first <= maximum and 0 <= jitter < first: "
                    + first + ", " + maximum + ", " + jitter);
        }
    }

    /** The delay after the {@code attempt}-th transmission (0 for the first send): 4, 8, 16, 32, 64, 64 … s ± jitter. */
    public Duration delay(int attempt, RandomGenerator random) {
        Duration base = first;
        for (int i = 0; i < attempt && base.compareTo(maximum) < 0; i++) {
            base = base.multipliedBy(2);
        }
        if (base.compareTo(maximum) > 0) {
            base = maximum;
        }
        long jitterNanos = jitter.toNanos();
        long offset = jitterNanos == 0 ? 0 : random.nextLong(-jitterNanos, jitterNanos + 1);
        return base.plusNanos(offset);
    }
}
