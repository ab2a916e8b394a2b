package dev.leasehold.config;

import java.time.Duration;

/**
 * The lease history kept in the data directory (key {@code lease-history}): events older than
 * {@code retention} are pruned, and the oldest go first once the files pass {@code maxBytes}.
 */
public record HistoryConfig(Duration retention, long maxBytes) {

    public HistoryConfig {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
    }
}
