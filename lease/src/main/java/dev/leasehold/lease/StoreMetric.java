package dev.leasehold.lease;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One figure a store reports about itself for /metrics ({@link LeaseStore#metrics()}): the
 * server and the control API render them without knowing the store's class.
 *
 * @param name snake_case, without the {@code leasehold_store_} prefix the renderer adds
 * @param kind a counter only ever grows; a gauge goes up and down
 * @param help one sentence for operators
 * @param value the figure, in base units (seconds, not milliseconds)
 */
public record StoreMetric(String name, Kind kind, String help, double value) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public enum Kind { COUNTER, GAUGE }

    public StoreMetric {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(help, "help");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a metric name is snake_case: " + name);
        }
    }

    public static StoreMetric counter(String name, String help, double value) {
        return new StoreMetric(name, Kind.COUNTER, help, value);
    }

    public static StoreMetric gauge(String name, String help, double value) {
        return new StoreMetric(name, Kind.GAUGE, help, value);
    }
}
