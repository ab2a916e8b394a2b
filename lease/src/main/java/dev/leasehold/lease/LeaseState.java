package dev.leasehold.lease;

/**
 * Where a lease stands. Only {@link #ACTIVE} binds the address to the client; the other
 * states keep the record for affinity (a returning client gets its old address, RFC 2131
 * §4.3.1) and for history.
 */
public enum LeaseState {
    /** Acknowledged and not yet expired or released. */
    ACTIVE,
    /** The client sent DHCPRELEASE (RFC 2131 §4.4.6). */
    RELEASED,
    /** The lease ran out and the reclaimer returned the address to the pool. */
    EXPIRED,
    /**
     * The client sent DHCPDECLINE (RFC 2131 §4.3.3): the address is in use by someone else and
     * is held out of the pool until {@link Lease#expiresAt()}, the end of probation.
     */
    DECLINED
}
