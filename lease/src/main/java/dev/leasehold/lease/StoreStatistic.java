package dev.leasehold.lease;

/**
 * One figure a lease store reports about itself (fsyncs, group commits, database conflicts …),
 * named for Prometheus: the control API renders every store's figures without knowing the store.
 *
 * @param name a metric name, {@code leasehold_} and snake case
 * @param help one sentence for the metric's HELP line
 * @param counter true for a counter (only grows), false for a gauge
 * @param value the figure now
 */
public record StoreStatistic(String name, String help, boolean counter, double value) {

    public static StoreStatistic counter(String name, String help, double value) {
        return new StoreStatistic(name, help, true, value);
    }

    public static StoreStatistic gauge(String name, String help, double value) {
        return new StoreStatistic(name, help, false, value);
    }
}
