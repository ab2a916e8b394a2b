package dev.leasehold.server;

import java.time.Clock;
import org.slf4j.Logger;

/**
 * Logs at most a few lines per interval for one kind of event, then says how many it held back:
 * a flood of malformed packets must not become a flood of log lines (DESIGN §3).
 */
public final class RateLimitedLog {

    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final int perInterval;
    private long windowStart;
    private int inWindow;
    private long suppressed;

    public RateLimitedLog(Logger log, Clock clock, long intervalMillis, int perInterval) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.perInterval = perInterval;
    }

    public synchronized void warn(String format, Object... args) {
        long now = clock.millis();
        if (now - windowStart >= intervalMillis) {
            if (suppressed > 0) {
                log.warn("{} similar messages suppressed in the last {} ms", suppressed, intervalMillis);
            }
            windowStart = now;
            inWindow = 0;
            suppressed = 0;
        }
        if (inWindow++ < perInterval) {
            log.warn(format, args);
        } else {
            suppressed++;
        }
    }
}
