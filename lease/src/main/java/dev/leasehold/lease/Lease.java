package dev.leasehold.lease;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.Objects;

/**
 * One address's binding to one client (RFC 2131 §1: "a lease"), as the server stores it.
 *
 * @param address the leased address, the store's key
 * @param clientId the client's identity (option 61 or htype+chaddr)
 * @param hardwareAddress the chaddr the client last used, for look-ups by MAC
 * @param subnetId the configured subnet the address belongs to
 * @param state whether the binding is live
 * @param start when the client last obtained or extended the lease (Kea's cltt)
 * @param expiresAt when the lease (or a decline's probation) ends
 * @param hostname the client's host name (option 12 or 81), empty when none
 */
public record Lease(
        Ipv4Address address,
        ClientId clientId,
        HardwareAddress hardwareAddress,
        int subnetId,
        LeaseState state,
        Instant start,
        Instant expiresAt,
        String hostname) {

    public Lease {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(hostname, "hostname");
        if (expiresAt.isBefore(start)) {
            throw new IllegalArgumentException("a lease cannot expire before it starts: " + start + " > " + expiresAt);
        }
    }

    /** True when the address is bound to {@link #clientId} at {@code now}. */
    public boolean isActiveAt(Instant now) {
        return state == LeaseState.ACTIVE && now.isBefore(expiresAt);
    }

    /** True when the address may not be given to anyone but {@link #clientId} at {@code now}. */
    public boolean holdsAddressAt(Instant now) {
        return (state == LeaseState.ACTIVE || state == LeaseState.DECLINED) && now.isBefore(expiresAt);
    }

    public Lease withState(LeaseState newState, Instant newStart, Instant newExpiresAt) {
        return new Lease(address, clientId, hardwareAddress, subnetId, newState, newStart, newExpiresAt, hostname);
    }
}
