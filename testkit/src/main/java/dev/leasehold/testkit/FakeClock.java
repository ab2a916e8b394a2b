package dev.leasehold.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, so lease times, T1/T2 (RFC 2131 §4.4.5) and
 * expiry can be tested without sleeping. Thread-safe: the server's threads read it while the
 * test thread advances it. Clocks made by {@link #withZone} share the same time.
 */
public final class FakeClock extends Clock {

    /** An arbitrary, fixed start so test output is the same on every run. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock standing at {@code start}, in UTC. */
    public static FakeClock at(Instant start) {
        return new FakeClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    /** A clock standing at {@link #DEFAULT_START}. */
    public static FakeClock standing() {
        return at(DEFAULT_START);
    }

    /** Moves the clock forward by {@code amount} (never backward) and answers the new time. */
    public Instant advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a fake clock only moves forward: " + amount);
        }
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** Sets the clock to {@code instant}, which may not be earlier than now. */
    public void set(Instant instant) {
        now.updateAndGet(t -> {
            if (instant.isBefore(t)) {
                throw new IllegalArgumentException("a fake clock only moves forward: " + instant + " < " + t);
            }
            return instant;
        });
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new FakeClock(now, newZone);
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + "]";
    }
}
