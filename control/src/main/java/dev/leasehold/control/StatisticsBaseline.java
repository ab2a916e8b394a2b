package dev.leasehold.control;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kea's statistic-reset for {@code /statistics}: the counters' values at the last reset, which
 * {@code /statistics} subtracts. The counters themselves never go back ({@code /metrics} keeps
 * them monotonic, as Prometheus expects); gauges (free addresses, outstanding offers) are not
 * counters and are never reset. Thread-safe.
 */
final class StatisticsBaseline {

    private final Map<String, Long> atReset = new ConcurrentHashMap<>();

    /** {@code value} of counter {@code key} since the last reset. */
    long since(String key, long value) {
        return value - atReset.getOrDefault(key, 0L);
    }

    /** Makes every counter in {@code now} read zero from here on. */
    void reset(Map<String, Long> now) {
        atReset.putAll(now);
    }
}
