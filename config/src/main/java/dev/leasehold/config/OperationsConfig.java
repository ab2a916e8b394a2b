package dev.leasehold.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator sees of the running server: the control API (absent: no API), the format
 * of the lease event log, and how much lease history is kept. Read at start only; a reload
 * that changes these keys takes effect at the next restart.
 */
public record OperationsConfig(Optional<ControlConfig> control, EventLogFormat eventLogFormat, HistoryConfig history) {

    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(30);
    public static final long DEFAULT_HISTORY_MAX_BYTES = 256L << 20;

    /** No API, text event lines, 30 days or 256 MiB of history. */
    public static final OperationsConfig DEFAULTS = new OperationsConfig(Optional.empty(), EventLogFormat.TEXT,
            new HistoryConfig(DEFAULT_HISTORY_RETENTION, DEFAULT_HISTORY_MAX_BYTES));

    public OperationsConfig {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(eventLogFormat, "eventLogFormat");
        Objects.requireNonNull(history, "history");
    }
}
