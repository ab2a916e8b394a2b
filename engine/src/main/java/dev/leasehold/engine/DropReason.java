package dev.leasehold.engine;

/** Why a request got no reply; each is a counter and a rate-limited log line. */
public enum DropReason {
    /** The bytes were not a DHCP message. */
    MALFORMED,
    /** BOOTREPLY, no message type, or a type a server never answers (OFFER, ACK, ...). */
    NOT_A_REQUEST,
    /** No configured subnet matches giaddr, link selection, subnet selection or the interface. */
    NO_SUBNET,
    /** Every pool the client may use is full. */
    POOL_EXHAUSTED,
    /**
     * The free-set cache proved out of date (a shared store's other servers took many of the
     * addresses it calls free); a full re-index is under way and the client's retry is served.
     */
    FREE_SET_STALE,
    /** A REQUEST naming another server (RFC 2131 §4.3.2), or one we know nothing of and are not authoritative for. */
    NOT_FOR_US,
    /** DECLINE and RELEASE never get replies (RFC 2131 §4.3.3, §4.3.4). */
    NO_REPLY_EXPECTED,
    /** The lease store could not write; a NAK would send the client round in circles. */
    STORE_UNAVAILABLE,
    /** Too many requests in flight. */
    OVERLOADED,
    /**
     * The request waited longer in the socket's receive queue than a client waits before it
     * retransmits (RFC 2131 §4.1: 4 s ± 1 s), so its client has already sent it again; answering
     * it as well would only add work at the moment the server is behind.
     */
    TOO_OLD,
    /** A relayed request from a source that is not a trusted relay, or option 82 without giaddr refused ({@code limits}). */
    RELAY_UNTRUSTED,
    /** New clients arrive faster than {@code limits.new-clients} allows for their key. */
    RATE_LIMITED,
    /** The client's circuit id, remote id or MAC prefix already holds its {@code limits.max-leases}. */
    LEASE_LIMIT,
    /** Offers to unknown clients already hold {@code limits.unknown-offer-share} of the pool. */
    OFFER_SHARE_LIMIT,
    /** The client declined more addresses than {@code limits.declines} allows; this DECLINE is ignored. */
    DECLINE_LIMIT
}
