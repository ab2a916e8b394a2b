package dev.leasehold.control;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus-style histogram of durations: fixed upper bounds in seconds, a counter per
 * bucket and the sum. Recording is lock-free (one {@link LongAdder} per bucket), so the packet
 * path can record without contention; a snapshot is taken per scrape.
 */
final class Histogram {

    /** Bounds for request latency: 100 µs to 10 s, roughly ×2.5 apart. */
    static final double[] LATENCY_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10};

    private final double[] upperBounds;
    private final long[] upperBoundNanos;
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    Histogram(double[] upperBoundsSeconds) {
        if (upperBoundsSeconds.length == 0) {
            throw new IllegalArgumentException("at least one bucket");
        }
        for (int i = 1; i < upperBoundsSeconds.length; i++) {
            if (!(upperBoundsSeconds[i] > upperBoundsSeconds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(upperBoundsSeconds));
            }
        }
        this.upperBounds = upperBoundsSeconds.clone();
        this.upperBoundNanos = new long[upperBounds.length];
        for (int i = 0; i < upperBounds.length; i++) {
            upperBoundNanos[i] = Math.round(upperBounds[i] * 1e9);
        }
        // One more bucket for observations above the last bound (+Inf).
        this.buckets = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observeNanos(long nanos) {
        long n = Math.max(0, nanos);
        int i = Arrays.binarySearch(upperBoundNanos, n);
        // An observation equal to a bound belongs to that bucket ("le"); otherwise the next bound up.
        buckets[i >= 0 ? i : -i - 1].increment();
        sumNanos.add(n);
    }

    Snapshot snapshot() {
        long[] cumulative = new long[upperBounds.length];
        long running = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        long count = running + buckets[upperBounds.length].sum();
        return new Snapshot(upperBounds.clone(), cumulative, count, sumNanos.sum() / 1e9);
    }

    /** Counts at or below each bound (cumulative), the total count and the sum in seconds. */
    record Snapshot(double[] upperBounds, long[] cumulativeCounts, long count, double sum) {

        /**
         * The bound of the bucket that holds the {@code q} quantile: an upper estimate, as
         * Prometheus' histogram_quantile would interpolate within it. Empty with no observation;
         * +Inf when the quantile lies above the last bound.
         */
        java.util.OptionalDouble quantile(double q) {
            if (count == 0) {
                return java.util.OptionalDouble.empty();
            }
            long rank = (long) Math.ceil(q * count);
            for (int i = 0; i < upperBounds.length; i++) {
                if (cumulativeCounts[i] >= rank) {
                    return java.util.OptionalDouble.of(upperBounds[i]);
                }
            }
            return java.util.OptionalDouble.of(Double.POSITIVE_INFINITY);
        }
    }
}
