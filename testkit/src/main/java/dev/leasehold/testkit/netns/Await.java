package dev.leasehold.testkit.netns;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling. Real clients and servers give no callback when they are done, so the lab
 * polls; every poll has a deadline so that a client that never binds fails the test instead of
 * hanging the build.
 */
public final class Await {

    /** Short enough to keep a DORA test fast, long enough not to burn a shared 2-core machine. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private Await() {
    }

    /** Polls {@code condition} until it holds; throws {@link LabTimeoutException} naming {@code what} when time runs out. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls {@code probe} until it yields a value and returns it; throws {@link LabTimeoutException} when time runs out. */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new LabTimeoutException(what, timeout);
            }
            sleep(POLL_INTERVAL);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
