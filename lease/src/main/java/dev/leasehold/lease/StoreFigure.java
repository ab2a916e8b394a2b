package dev.leasehold.lease;

import java.util.Objects;

/**
 * One figure a store reports about itself for monitoring (fsyncs, bytes, ...), so the control
 * API can export every store's own figures without knowing the store's class.
 *
 * @param name a Prometheus metric name without the {@code leasehold_} prefix, e.g. {@code journal_fsyncs_total}
 * @param counter true for a counter (only grows), false for a gauge
 */
public record StoreFigure(String name, boolean counter, String help, double value) {
    public StoreFigure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
    }
}
