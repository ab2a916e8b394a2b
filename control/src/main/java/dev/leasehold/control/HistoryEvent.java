package dev.leasehold.control;

import dev.leasehold.engine.LeaseEvent;
import dev.leasehold.lease.Lease;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of the event log and one record of the lease history: a {@link LeaseEvent} of the
 * engine, or an operator's change through the control API ({@code admin-set}, {@code admin-delete}).
 * Identifiers are kept as operators write them (colon hex), so the record needs no codec to read.
 *
 * @param type {@code offer}, {@code ack}, {@code nak}, {@code release}, {@code decline},
 *        {@code expire}, {@code conflict}, {@code admin-set} or {@code admin-delete}
 * @param relay giaddr in dotted quad, empty when the request was not relayed
 * @param circuitId the relay's circuit id (RFC 3046 §3.1) in colon hex, empty when none
 * @param state for {@code admin-set}, the state the operator stored; empty otherwise
 */
record HistoryEvent(Instant time, String type, Ipv4Address address, String clientId, String mac, int subnetId,
                    String relay, String circuitId, String hostname, Instant expiresAt, String state, String detail) {

    static final String ADMIN_SET = "admin-set";
    static final String ADMIN_DELETE = "admin-delete";

    HistoryEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    static HistoryEvent of(LeaseEvent e) {
        return new HistoryEvent(e.time(), e.type().name().toLowerCase(Locale.ROOT), e.address(), e.clientId().toString(),
                e.hardwareAddress().toString(), e.subnetId(), e.relay().isAny() ? "" : e.relay().toString(),
                HexFormat.ofDelimiter(":").formatHex(e.circuitId()), e.hostname(), e.expiresAt(), "", e.detail());
    }

    static HistoryEvent adminSet(Instant now, Lease lease) {
        return new HistoryEvent(now, ADMIN_SET, lease.address(), lease.clientId().toString(),
                lease.hardwareAddress().toString(), lease.subnetId(), "", "", lease.hostname(), lease.expiresAt(),
                lease.state().name().toLowerCase(Locale.ROOT), "");
    }

    static HistoryEvent adminDelete(Instant now, Lease lease) {
        return new HistoryEvent(now, ADMIN_DELETE, lease.address(), lease.clientId().toString(),
                lease.hardwareAddress().toString(), lease.subnetId(), "", "", lease.hostname(), now, "", "");
    }

    /**
     * Whether the address is bound to {@link #clientId} from this event until {@link #expiresAt}:
     * an ACK, or an operator storing an active lease.
     */
    boolean startsHolding() {
        return type.equals("ack") || (type.equals(ADMIN_SET) && state.equals("active"));
    }

    /** Whether this event ends whatever holding the address had (at {@link #endOfHolding()}). */
    boolean endsHolding() {
        return switch (type) {
            case "release", "decline", "expire", ADMIN_DELETE -> true;
            case ADMIN_SET -> !state.equals("active");
            default -> false;
        };
    }

    /** When the holding this event ends stopped: the lease's own end for an expiry, the event time otherwise. */
    Instant endOfHolding() {
        return type.equals("expire") && expiresAt.isBefore(time) ? expiresAt : time;
    }

    /** Whether the event says anything about who holds the address (OFFER, NAK, CONFLICT do not). */
    boolean concernsHolding() {
        return startsHolding() || endsHolding();
    }
}
