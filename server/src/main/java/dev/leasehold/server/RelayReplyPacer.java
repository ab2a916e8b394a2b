package dev.leasehold.server;

import dev.leasehold.wire.Ipv4Address;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces the replies to each relay agent so that a burst of them cannot overflow the relay's
 * receive queue.
 *
 * <p>Why: after any stall (a garbage collection, a slow flush, a core taken by another process)
 * the server finds the requests of the stall waiting in its socket and answers them as fast as
 * it can: many times faster than they came. A relay, or a load generator such as perfdhcp, that
 * reads one datagram at a time with a default-sized receive buffer (net.core.rmem_default,
 * 212,992 bytes, some 170 replies) then loses the tail of the burst, and its clients wait for a
 * retransmission. A relay that sent us {@code r} requests a second reads about {@code r}
 * replies a second, so each relay's replies are held to {@link #HEADROOM} × its own recent
 * request rate, with {@link #BURST} replies allowed back to back. The backlog then waits in our
 * own receive queue, which the transport sizes to megabytes, instead of being lost at the relay.
 *
 * <p>How: per relay, the request rate is measured in {@link #WINDOW_NANOS} windows and smoothed;
 * replies take tokens from a bucket of {@link #BURST} refilled at the paced rate; a reply
 * that finds none goes into debt, repaid at the pace in force (so a rising rate repays it faster). The thread that sends a reply that is ahead of its schedule by
 * more than {@link #MIN_PARK_NANOS} parks until it is due, at most {@link #MAX_PARK_NANOS} per
 * reply: a sleeping receiver is the back-pressure. Shorter waits are not slept (a park costs
 * about 50–100 µs of timer slack anyway), so the schedule, not each reply, is what is paced.
 * A relay we have not measured yet, or one sending fewer than {@link #MIN_RATE} requests a
 * second, is never held back.
 *
 * <p>Threads: the receiver reports requests ({@link #requestFrom}); the receiver and the
 * commit-reply thread ask before sending ({@link #awaitTurn}). Each relay's figures are guarded
 * by its own monitor; no thread parks while holding it.
 */
final class RelayReplyPacer {

    /** Replies allowed back to back above the paced rate: a group commit's ACKs, a receive batch. */
    static final int BURST = 64;
    /** Replies per second allowed, as a multiple of the relay's own request rate. */
    static final double HEADROOM = 2.0;
    /** Below this many requests a second from a relay, its replies are not paced. */
    static final double MIN_RATE = 500;
    /** How long one rate measurement lasts. */
    static final long WINDOW_NANOS = 100_000_000L;
    /** The part of a window under way that already counts as a measurement. */
    static final long MIN_PARTIAL_WINDOW_NANOS = 5_000_000L;
    /** A reply this little ahead of schedule is sent at once. */
    static final long MIN_PARK_NANOS = 200_000L;
    /** A reply never waits longer than this, whatever the schedule says. */
    static final long MAX_PARK_NANOS = 5_000_000L;
    /** Relays tracked at most; a larger network's further relays are not paced (nor is memory spent on them). */
    static final int MAX_RELAYS = 4_096;

    private final ConcurrentHashMap<Integer, Lane> lanes = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Parker parker;

    /** Parks the calling thread for about the given nanoseconds (a seam for tests). */
    @FunctionalInterface
    interface Parker {
        void park(long nanos);
    }

    RelayReplyPacer() {
        this(System::nanoTime, LockSupport::parkNanos);
    }

    RelayReplyPacer(LongSupplier nanoTime, Parker parker) {
        this.nanoTime = nanoTime;
        this.parker = parker;
    }

    /** A request arrived from {@code relay} (giaddr set, sent by {@code relay}). */
    void requestFrom(Ipv4Address relay) {
        Lane lane = lanes.get(relay.bits());
        if (lane == null) {
            if (lanes.size() >= MAX_RELAYS) {
                return;
            }
            lane = lanes.computeIfAbsent(relay.bits(), k -> new Lane(nanoTime.getAsLong()));
        }
        lane.requested(nanoTime.getAsLong());
    }

    /**
     * Waits, when the replies to {@code relay} are ahead of their schedule, until this one is due
     * (at most {@link #MAX_PARK_NANOS}); returns how long it waited, in nanoseconds.
     */
    long awaitTurn(Ipv4Address relay) {
        Lane lane = lanes.get(relay.bits());
        if (lane == null) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        long wait = lane.reserve(now);
        if (wait < MIN_PARK_NANOS) {
            return 0;
        }
        long park = Math.min(wait, MAX_PARK_NANOS);
        parker.park(park);
        return park;
    }

    /** The smoothed request rate of {@code relay}, per second; 0 while unmeasured. */
    double requestRate(Ipv4Address relay) {
        Lane lane = lanes.get(relay.bits());
        return lane == null ? 0 : lane.rate();
    }

    /** One relay's request rate and reply schedule. */
    private static final class Lane {
        private long windowStart;
        private long windowCount;
        /** Requests per second, smoothed over windows; 0 until the first window ends. */
        private double smoothed;
        /** The rate replies are paced to (before {@link #HEADROOM}): the last window's or the smoothed, whichever is higher. */
        private double rate;
        /** Replies that may go now; negative: replies already sent ahead of the pace (a token bucket). */
        private double tokens = BURST;
        private long refilled;

        Lane(long now) {
            this.windowStart = now;
            this.refilled = now;
        }

        synchronized void requested(long now) {
            long elapsed = now - windowStart;
            if (elapsed >= 2 * WINDOW_NANOS) {
                // The relay fell quiet: what it sends next is measured afresh, unpaced meanwhile.
                smoothed = 0;
                rate = 0;
                windowStart = now;
                windowCount = 0;
            } else if (elapsed >= WINDOW_NANOS) {
                double measured = windowCount * 1e9 / elapsed;
                // Up at once, down smoothed: a relay whose clients arrive faster must not find its
                // replies held to the old rate, while a quieter window (a lull) must not throttle
                // the burst that may follow it. A window long past counts as one low measurement.
                smoothed = smoothed == 0 ? measured : 0.5 * smoothed + 0.5 * measured;
                rate = Math.max(measured, smoothed);
                windowStart = now;
                windowCount = 0;
            }
            windowCount++;
        }

        synchronized double rate() {
            return rate;
        }

        /** Takes the next reply's token; returns how long until it is due (0: now). */
        synchronized long reserve(long now) {
            long sinceWindow = now - windowStart;
            // The window under way counts once it is long enough to mean something, so that a
            // relay whose rate rises is paced to the new rate within milliseconds, not a window.
            double pace = sinceWindow >= MIN_PARTIAL_WINDOW_NANOS
                    ? Math.max(rate, windowCount * 1e9 / sinceWindow) : rate;
            if (rate == 0 || pace < MIN_RATE) {
                tokens = BURST;
                refilled = now;
                return 0;
            }
            double perNano = HEADROOM * pace / 1e9;
            tokens = Math.min(BURST, tokens + (now - refilled) * perNano);
            refilled = now;
            tokens -= 1;
            // A debt in replies, not in time: when the pace rises it is paid off at the new pace.
            return tokens >= 0 ? 0 : (long) (-tokens / perNano);
        }
    }
}
