package dev.leasehold.migrate.leases;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.Optional;

/**
 * One lease as another server's lease file records it, before it is checked against the
 * configuration.
 *
 * @param clientId option 61 as the source server recorded it; empty when the client sent none
 * @param start when the client last obtained or renewed the lease; empty when the file does not say (dnsmasq)
 * @param state the state in Leasehold's terms
 * @param line the 1-based line of the record in the file, for the report
 */
public record ImportedLease(Ipv4Address address, Optional<HardwareAddress> hardwareAddress, Optional<ClientId> clientId,
                            Optional<Instant> start, Instant expiresAt, LeaseState state, String hostname, int line) {
}
