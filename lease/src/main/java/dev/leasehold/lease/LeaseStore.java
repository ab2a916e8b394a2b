package dev.leasehold.lease;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where leases live. One record per address: writing a lease for an address replaces what was
 * stored for it. Every implementation passes the shared contract suite
 * ({@code LeaseStoreContract} in this module's tests).
 *
 * <p>Durability: the future of {@link #put} completes only once the write is as durable as the
 * store's policy promises; the server sends DHCPACK after that, never before (DESIGN §3).
 * Implementations are thread-safe.
 */
public interface LeaseStore extends AutoCloseable {

    /**
     * Stores {@code lease} in place of whatever the store has for its address, unless the stored
     * lease belongs to another client and still {@linkplain Lease#holdsAddressAt holds the
     * address} at {@code now}; then nothing changes and the result is a {@link PutResult.Conflict}.
     */
    CompletableFuture<PutResult> put(Lease lease, Instant now);

    /** Removes the record of {@code address}; completes with whether there was one. */
    CompletableFuture<Boolean> delete(Ipv4Address address);

    Optional<Lease> get(Ipv4Address address);

    /** Every lease recorded for this client, in any state and subnet. */
    List<Lease> findByClient(ClientId clientId);

    /** Every lease whose last known chaddr is {@code hardwareAddress}. */
    List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress);

    /** Active leases whose {@code expiresAt} is at or before {@code now}, at most {@code limit}. */
    List<Lease> findExpired(Instant now, int limit);

    /** Calls {@code action} for every stored lease, in no set order; for start-up indexing. */
    void forEach(Consumer<Lease> action);

    long size();

    /** Whether the store can write now, and why not when it cannot. */
    StoreHealth health();

    @Override
    void close();
}
