package dev.leasehold.lease;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A lease store that keeps everything in maps and nothing on disk: for tests and for trying the
 * server out. Every put completes at once; a restart forgets everything. It is meant to be
 * obviously right rather than small (a few hundred bytes per lease) or fast at scale
 * ({@link #findExpired} walks every lease). One monitor guards all of it.
 */
public final class InMemoryLeaseStore implements LeaseStore {

    private final Map<Ipv4Address, Lease> byAddress = new HashMap<>();
    private final Map<ClientId, Set<Ipv4Address>> byClient = new HashMap<>();
    private final Map<HardwareAddress, Set<Ipv4Address>> byHardware = new HashMap<>();
    private final List<Consumer<Ipv4Address>> externalListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean closed;

    @Override
    public void watchExternalChanges(Consumer<Ipv4Address> listener) {
        externalListeners.add(listener);
    }

    /**
     * Stores {@code lease} as another server sharing this store would (no conflict check: that
     * server's database already decided), then tells the watchers, as a shared store's change
     * feed does. For tests of the engine's free-set cache.
     */
    public void putFromElsewhere(Lease lease) {
        synchronized (this) {
            index(lease, byAddress.get(lease.address()));
        }
        externalListeners.forEach(l -> l.accept(lease.address()));
    }

    /** Removes the record of {@code address} as another server would, then tells the watchers. */
    public void deleteFromElsewhere(Ipv4Address address) {
        synchronized (this) {
            Lease removed = byAddress.remove(address);
            if (removed != null) {
                unindex(removed);
            }
        }
        externalListeners.forEach(l -> l.accept(address));
    }

    @Override
    public synchronized CompletableFuture<PutResult> put(Lease lease, Instant now) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        if (closed) {
            return CompletableFuture.completedFuture(new PutResult.Failed("the in-memory lease store is closed", null));
        }
        Lease current = byAddress.get(lease.address());
        if (current != null && !current.clientId().equals(lease.clientId()) && current.holdsAddressAt(now)) {
            return CompletableFuture.completedFuture(new PutResult.Conflict(current));
        }
        index(lease, current);
        return CompletableFuture.completedFuture(new PutResult.Stored(lease));
    }

    /** Replaces {@code current} (or nothing) by {@code lease} in every index. Caller holds the monitor. */
    private void index(Lease lease, Lease current) {
        if (current != null) {
            unindex(current);
        }
        byAddress.put(lease.address(), lease);
        byClient.computeIfAbsent(lease.clientId(), k -> new LinkedHashSet<>()).add(lease.address());
        byHardware.computeIfAbsent(lease.hardwareAddress(), k -> new LinkedHashSet<>()).add(lease.address());
    }

    @Override
    public synchronized CompletableFuture<Boolean> delete(Ipv4Address address) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the in-memory lease store is closed"));
        }
        Lease removed = byAddress.remove(address);
        if (removed != null) {
            unindex(removed);
        }
        return CompletableFuture.completedFuture(removed != null);
    }

    private void unindex(Lease lease) {
        remove(byClient, lease.clientId(), lease.address());
        remove(byHardware, lease.hardwareAddress(), lease.address());
    }

    private static <K> void remove(Map<K, Set<Ipv4Address>> index, K key, Ipv4Address address) {
        Set<Ipv4Address> addresses = index.get(key);
        if (addresses != null && addresses.remove(address) && addresses.isEmpty()) {
            index.remove(key);
        }
    }

    @Override
    public synchronized Optional<Lease> get(Ipv4Address address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    @Override
    public synchronized List<Lease> findByClient(ClientId clientId) {
        return leasesOf(byClient.get(clientId));
    }

    @Override
    public synchronized List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress) {
        return leasesOf(byHardware.get(hardwareAddress));
    }

    private List<Lease> leasesOf(Set<Ipv4Address> addresses) {
        if (addresses == null) {
            return List.of();
        }
        List<Lease> leases = new ArrayList<>(addresses.size());
        for (Ipv4Address address : addresses) {
            leases.add(byAddress.get(address));
        }
        return leases;
    }

    @Override
    public synchronized List<Lease> findExpired(Instant now, int limit) {
        List<Lease> expired = new ArrayList<>();
        for (Lease lease : byAddress.values()) {
            if (expired.size() >= limit) {
                break;
            }
            if (lease.state() == LeaseState.ACTIVE && !lease.expiresAt().isAfter(now)) {
                expired.add(lease);
            }
        }
        return expired;
    }

    /** {@inheritDoc} Runs {@code action} on a copy, outside the monitor, so it may call the store. */
    @Override
    public void forEach(Consumer<Lease> action) {
        List<Lease> all;
        synchronized (this) {
            all = new ArrayList<>(byAddress.values());
        }
        all.forEach(action);
    }

    @Override
    public synchronized long size() {
        return byAddress.size();
    }

    @Override
    public synchronized StoreHealth health() {
        return closed
                ? new StoreHealth(false, "in-memory lease store, closed")
                : new StoreHealth(true, "in-memory lease store, " + byAddress.size() + " leases, nothing is kept across restarts");
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
