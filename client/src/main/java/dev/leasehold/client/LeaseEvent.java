package dev.leasehold.client;

import java.util.Optional;

/**
 * A change to the lease a client uses, for the code that configures the interface and for the
 * hook script ({@code reason} in dhclient-script's terms).
 *
 * @param reason   what happened
 * @param binding  the lease now in use (BOUND, RENEW, REBIND, REBOOT) or the one just lost (EXPIRE, RELEASE, NAK)
 * @param previous the lease it replaces, for RENEW and REBIND (whose address or options may have changed)
 */
public record LeaseEvent(Reason reason, Binding binding, Optional<Binding> previous) {

    /** Why the lease changed; the names are dhclient-script's {@code $reason} values. */
    public enum Reason {
        /** A new lease after DHCPDISCOVER (RFC 2131 §4.4.1). */
        BOUND,
        /** Extended by the granting server at T1 (§4.4.5). */
        RENEW,
        /** Extended by any server at T2 (§4.4.5). */
        REBIND,
        /** A remembered lease confirmed in INIT-REBOOT (§4.4.2). */
        REBOOT,
        /** Not extended before its end (§4.4.5): the address must no longer be used. */
        EXPIRE,
        /** Given back with DHCPRELEASE (§4.4.6). */
        RELEASE,
        /** Refused by a DHCPNAK (§4.4.5, §3.2). */
        NAK;

        /** Whether the client now uses {@link LeaseEvent#binding()} (else it has just stopped using it). */
        public boolean inUse() {
            return this == BOUND || this == RENEW || this == REBIND || this == REBOOT;
        }
    }
}
