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
 * ({@code LeaseStoreContract} in this module's test-jar: extend it, say how to make a fresh store
 * and how to reopen one after close).
 *
 * <p>Durability: the future of {@link #put} completes only once the write is as durable as the
 * store's policy promises; the server sends DHCPACK after that, never before (DESIGN §3). A
 * put's effect may be visible to readers (and to the conflict check of later puts) before its
 * future completes; if the write then fails, the store takes it back.
 *
 * <p>Reads and round trips: {@link #get}, {@link #findByClient} and {@link #findByHardwareAddress}
 * are answered from memory and never wait for I/O, because the engine calls them under its lock
 * on the packet path. A store whose truth is remote (a shared database) keeps a local mirror for
 * them, kept current by its own writes and by its change feed ({@link #watchExternalChanges});
 * correctness never rests on the mirror, since {@link #put} checks conflicts against the truth.
 * {@link #put} and {@link #delete} are issued, not awaited, by the engine; {@link #findExpired}
 * and {@link #forEach} may do I/O and are never called under the engine's lock.
 *
 * <p>Implementations are thread-safe. Futures may complete on a store's own threads: continuations
 * that block or take long should use the {@code *Async} variants.
 */
public interface LeaseStore extends AutoCloseable {

    /**
     * Stores {@code lease} in place of whatever the store has for its address, unless the stored
     * lease belongs to another client and still {@linkplain Lease#holdsAddressAt holds the
     * address} at {@code now}; then nothing changes and the result is a {@link PutResult.Conflict}.
     * The same client may always replace its own record (renew, release, decline).
     *
     * <p>The future does not complete exceptionally for a store-side problem: a write the store
     * could not make (disk full, database down, store closed) completes as
     * {@link PutResult.Failed}, with nothing changed.
     */
    CompletableFuture<PutResult> put(Lease lease, Instant now);

    /**
     * Removes the record of {@code address}; completes with whether there was one, or
     * exceptionally when the store could not write the removal (the record then stays).
     */
    CompletableFuture<Boolean> delete(Ipv4Address address);

    Optional<Lease> get(Ipv4Address address);

    /** Every lease recorded for this client, in any state and subnet. */
    List<Lease> findByClient(ClientId clientId);

    /** Every lease whose last known chaddr is {@code hardwareAddress}. */
    List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress);

    /**
     * {@link LeaseState#ACTIVE} leases whose {@code expiresAt} is at or before {@code now}, at most
     * {@code limit} of them, in no set order; for the reclaimer, which calls again until it gets
     * fewer than it asked for.
     */
    List<Lease> findExpired(Instant now, int limit);

    /**
     * Calls {@code action} for every stored lease, in no set order; for start-up indexing. The
     * action may call the store; a lease changed during the walk may be seen before or after the
     * change (or, if deleted or added meanwhile, not at all).
     */
    void forEach(Consumer<Lease> action);

    long size();

    /**
     * Registers {@code listener} to be told of every address whose record was changed by a writer
     * other than this store object: another server sharing the same database, an import, an
     * operator's tool. The listener gets only the address; it reads the record itself
     * ({@link #get}) off the packet path. Stores that are the only writer of their data (the
     * journal) never call it. A listener must be quick and must not throw; it is called on a
     * thread of the store's own.
     */
    default void watchExternalChanges(Consumer<Ipv4Address> listener) {
    }

    /** The store's own figures for {@code /metrics}; none by default. */
    default java.util.List<StoreStatistic> statistics() {
        return java.util.List.of();
    }

    /** Whether the store can write now, and why not when it cannot. */
    StoreHealth health();

    /**
     * Finishes the writes already accepted (their futures complete), then releases the storage.
     * Idempotent. Later puts complete as {@link PutResult.Failed}.
     */
    @Override
    void close();
}
