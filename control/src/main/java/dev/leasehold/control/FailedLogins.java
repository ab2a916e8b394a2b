package dev.leasehold.control;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls with a wrong token: counted, and logged at most {@link #PER_MINUTE} times a minute, so
 * someone guessing tokens is seen without the guesses flooding the log. Thread-safe.
 */
final class FailedLogins {

    private static final Logger audit = LoggerFactory.getLogger("leasehold.control.audit");
    static final int PER_MINUTE = 5;
    private static final long WINDOW_MILLIS = 60_000;

    private final Clock clock;
    private final LongAdder total = new LongAdder();
    private long windowStart = Long.MIN_VALUE;
    private int logged;
    private long held;

    FailedLogins(Clock clock) {
        this.clock = clock;
    }

    void record(InetSocketAddress from, String method, String path) {
        total.increment();
        long now = clock.millis();
        long heldBack = 0;
        boolean log;
        synchronized (this) {
            if (now - windowStart >= WINDOW_MILLIS) {
                heldBack = held;
                windowStart = now;
                logged = 0;
                held = 0;
            }
            log = logged < PER_MINUTE;
            if (log) {
                logged++;
            } else {
                held++;
            }
        }
        if (heldBack > 0) {
            audit.warn("{} more call(s) with a wrong API token in the minute before", heldBack);
        }
        if (log) {
            audit.warn("call with a wrong API token from {}: {} {}", from.getAddress().getHostAddress(), method, path);
        }
    }

    long count() {
        return total.sum();
    }
}
