package dev.leasehold.client;

/**
 * Which of the offers collected in SELECTING the client requests (RFC 2131 §4.4.1 leaves the
 * choice to the client: "The client may choose to collect several DHCPOFFER messages and select
 * the 'best' offer").
 */
public enum OfferPreference {
    /** The offer of the address the client asked for (option 50), else the longest lease, else the first. */
    REQUESTED_THEN_LONGEST,
    /** The first acceptable offer to arrive. */
    FIRST
}
