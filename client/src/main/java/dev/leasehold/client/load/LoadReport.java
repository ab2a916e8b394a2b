package dev.leasehold.client.load;

import java.time.Duration;

/**
 * The outcome of a load run, in the terms Kea's perfdhcp reports: completed exchanges per
 * second, drops, and latency percentiles of each half of the exchange.
 *
 * @param diagnosis why the run went wrong as far as the generator can tell (e.g. not one reply
 *                  came back), or "" when there is nothing to say
 */
public record LoadReport(int clients, long leases, long naks, long drops, Duration elapsed,
                         Latency discoverOffer, Latency requestAck, long renewed, Duration renewElapsed,
                         Latency renewLatency, String diagnosis) {

    /** Latency percentiles in microseconds. */
    public record Latency(long p50, long p90, long p99, long max) {
        @Override
        public String toString() {
            return "p50 %d us, p90 %d us, p99 %d us, max %d us".formatted(p50, p90, p99, max);
        }
    }

    public double leasesPerSecond() {
        return elapsed.isZero() ? 0 : leases / (elapsed.toNanos() / 1e9);
    }

    public double renewalsPerSecond() {
        return renewElapsed.isZero() ? 0 : renewed / (renewElapsed.toNanos() / 1e9);
    }

    public double dropRate() {
        return clients == 0 ? 0 : (double) drops / clients;
    }

    /** A few lines for people; {@code --json} output is the record itself. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("%d clients: %d leases in %.3f s = %.0f leases/s, %d NAK, %d dropped (%.3f %%)%n".formatted(
                clients, leases, elapsed.toNanos() / 1e9, leasesPerSecond(), naks, drops, 100 * dropRate()));
        b.append("  DISCOVER->OFFER  ").append(discoverOffer).append('\n');
        b.append("  REQUEST->ACK     ").append(requestAck).append('\n');
        if (renewed > 0) {
            b.append("%d renewals in %.3f s = %.0f renewals/s%n".formatted(renewed, renewElapsed.toNanos() / 1e9, renewalsPerSecond()));
            b.append("  RENEW REQUEST->ACK ").append(renewLatency).append('\n');
        }
        if (!diagnosis.isEmpty()) {
            b.append(diagnosis).append('\n');
        }
        return b.toString();
    }
}
