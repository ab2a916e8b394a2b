package dev.leasehold.client;

import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to send the ARP announcements of a newly bound address (RFC 5227 §2.3): "the host MUST
 * ... broadcast ANNOUNCE_NUM ARP Announcements, spaced ANNOUNCE_INTERVAL seconds apart" (2 and
 * 2 s, §1.1). The driver asks {@link #due} whenever it wakes and sends what it answers; the gap is
 * measured from the previous send, so a late wakeup never brings two announcements closer.
 * Not thread-safe: the client's thread owns it.
 */
public final class AnnouncementSchedule {

    /** RFC 5227 §1.1. */
    public static final int ANNOUNCE_NUM = 2;
    public static final Duration ANNOUNCE_INTERVAL = Duration.ofSeconds(2);

    private final int count;
    private final Duration interval;
    private Ipv4Address address;
    private int left;
    private Instant next = Instant.MAX;

    public AnnouncementSchedule(int count, Duration interval) {
        if (count < 0 || interval.isNegative()) {
            throw new IllegalArgumentException("announcements: count and interval must not be negative");
        }
        this.count = count;
        this.interval = interval;
    }

    /** RFC 5227's two announcements two seconds apart. */
    public static AnnouncementSchedule rfc5227() {
        return new AnnouncementSchedule(ANNOUNCE_NUM, ANNOUNCE_INTERVAL);
    }

    /** Announce {@code bound} from {@code now} on (replacing any announcements still pending). */
    public void start(Ipv4Address bound, Instant now) {
        address = bound;
        left = count;
        next = count == 0 ? Instant.MAX : now;
    }

    /** No more announcements (the address was given up). */
    public void cancel() {
        left = 0;
        next = Instant.MAX;
    }

    /** When the next announcement is due, {@link Instant#MAX} when none is. */
    public Instant nextAt() {
        return next;
    }

    /** The address to announce now, if an announcement is due at {@code now}. */
    public Optional<Ipv4Address> due(Instant now) {
        if (left == 0 || now.isBefore(next)) {
            return Optional.empty();
        }
        left--;
        next = left == 0 ? Instant.MAX : now.plus(interval);
        return Optional.of(address);
    }
}
