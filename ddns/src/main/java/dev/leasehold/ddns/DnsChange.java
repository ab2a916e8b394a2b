package dev.leasehold.ddns;

import dev.leasehold.wire.Ipv4Address;

/** What the updater thread is asked to do; sent through its bounded queue. */
sealed interface DnsChange {

    Ipv4Address address();

    /**
     * An ACK: the lease at {@code address} now asks for {@code wanted} (null: for no name).
     *
     * @param force update DNS even when nothing changed (a resend); {@code ddns-update-on-renew}
     *        is looked up by the updater thread, off the packet path
     */
    record Acked(Ipv4Address address, Registration wanted, String clientId, int subnetId, boolean force)
            implements DnsChange {}

    /** The lease at {@code address} ended: release, expiry, decline. */
    record Ended(Ipv4Address address) implements DnsChange {}
}
