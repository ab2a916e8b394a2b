package dev.leasehold.lease.postgres;

import dev.leasehold.lease.StoreHealth;
import java.sql.SQLException;

/**
 * Whether the database answers, as last seen by the writer or the change feed (whichever spoke
 * last), and why not: the store's {@link StoreHealth} and its up/down metric. Thread-safe: one
 * volatile snapshot.
 */
final class DatabaseStatus {

    private record Seen(boolean up, String detail, long sinceNanos) {}

    private final String where;
    private volatile Seen seen;
    private volatile boolean closed;

    DatabaseStatus(String where) {
        this.where = where;
        this.seen = new Seen(true, "connected", System.nanoTime());
    }

    void up() {
        Seen now = seen;
        if (!now.up()) {
            seen = new Seen(true, "connected", System.nanoTime());
        }
    }

    void down(String reason) {
        Seen now = seen;
        seen = new Seen(false, reason, now.up() ? System.nanoTime() : now.sinceNanos());
    }

    void closed() {
        closed = true;
    }

    boolean isUp() {
        return !closed && seen.up();
    }

    StoreHealth health() {
        if (closed) {
            return new StoreHealth(false, "the PostgreSQL lease store " + where + " is closed");
        }
        Seen now = seen;
        if (now.up()) {
            return new StoreHealth(true, "PostgreSQL " + where + ": connected");
        }
        long seconds = (System.nanoTime() - now.sinceNanos()) / 1_000_000_000L;
        return new StoreHealth(false, "PostgreSQL " + where + " unavailable for " + seconds + " s: " + now.detail());
    }

    /**
     * Whether {@code e} says the database or the connection to it is gone (rather than that one
     * statement was wrong): SQLSTATE classes 08 (connection), 53 (resources), 57 (shut down,
     * cancelled), or no SQLSTATE at all (pgjdbc's I/O and pool timeouts).
     */
    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57");
    }

    /** A deadlock or serialization failure: the same transaction may simply be run again. */
    static boolean isRetryable(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** One line for logs and {@code PutResult.Failed}: the first message with its SQLSTATE. */
    static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)) + (e.getSQLState() == null ? "" : " [" + e.getSQLState() + "]");
    }
}
