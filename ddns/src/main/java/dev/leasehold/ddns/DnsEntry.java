package dev.leasehold.ddns;

import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;

/**
 * What the updater knows of one address: the registration its lease asks for ({@code wanted}),
 * the one that may be in DNS now ({@code published}: set before an add is sent, cleared once a
 * removal is confirmed, so a crash in between errs towards removing), and how the last attempt went.
 */
record DnsEntry(Ipv4Address address, Registration wanted, Registration published, Status status, String detail,
                Instant changed) {

    enum Status { PENDING, REGISTERED, CONFLICT, REMOVING, FAILED, REMOVED }

    /** Whether DNS may differ from what the lease asks for. */
    boolean dirty() {
        if (wanted == null) {
            return published != null;
        }
        return status != Status.CONFLICT && (published == null || !published.sameRecords(wanted)
                || status != Status.REGISTERED);
    }

    DnsEntry with(Registration newWanted, Registration newPublished, Status newStatus, String newDetail, Instant at) {
        return new DnsEntry(address, newWanted, newPublished, newStatus, newDetail, at);
    }
}
