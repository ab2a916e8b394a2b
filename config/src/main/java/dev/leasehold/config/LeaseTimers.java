package dev.leasehold.config;

import java.time.Duration;

/**
 * Lease time (option 51) and its renewal timers (options 58 and 59), RFC 2131 §4.4.5.
 * A client's requested lease time is honoured within [{@code minLifetime}, {@code maxLifetime}].
 * T1 and T2 default to 0.5 and 0.875 of the granted lease time when absent.
 *
 * @param validLifetime the lease time given when the client asks for none
 */
public record LeaseTimers(Duration validLifetime, Duration minLifetime, Duration maxLifetime,
                          Duration renewTimer, Duration rebindTimer) {

    /** T1 for a lease of {@code granted}: the configured value, or half of it. */
    public Duration renewFor(Duration granted) {
        // Whole seconds, as options 58/59 carry them; Duration.dividedBy goes through BigDecimal.
        return renewTimer != null ? min(renewTimer, granted) : Duration.ofSeconds(granted.getSeconds() / 2);
    }

    /** T2 for a lease of {@code granted}: the configured value, or 7/8 of it. */
    public Duration rebindFor(Duration granted) {
        return rebindTimer != null ? min(rebindTimer, granted) : Duration.ofSeconds(granted.getSeconds() * 7 / 8);
    }

    /** The lease time to grant when the client asks for {@code requested} (null: no option 51). */
    public Duration grant(Duration requested) {
        if (requested == null) {
            return validLifetime;
        }
        if (requested.compareTo(minLifetime) < 0) {
            return minLifetime;
        }
        return requested.compareTo(maxLifetime) > 0 ? maxLifetime : requested;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
