package dev.leasehold.server;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A store whose writes stay pending until the test opens the gate, like a disk that is slow to
 * fsync: requests that need a lease write stay in flight meanwhile. Reads go straight through.
 */
final class GatedLeaseStore implements LeaseStore {

    private final LeaseStore delegate;
    private final List<Runnable> held = new ArrayList<>();
    private boolean open;

    GatedLeaseStore(LeaseStore delegate) {
        this.delegate = delegate;
    }

    /** Completes every held write, in order, and lets later ones through at once. */
    void open() {
        List<Runnable> release;
        synchronized (this) {
            open = true;
            release = new ArrayList<>(held);
            held.clear();
        }
        release.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<PutResult> put(Lease lease, Instant now) {
        synchronized (this) {
            if (!open) {
                CompletableFuture<PutResult> pending = new CompletableFuture<>();
                held.add(() -> delegate.put(lease, now).whenComplete((r, e) -> {
                    if (e != null) {
                        pending.completeExceptionally(e);
                    } else {
                        pending.complete(r);
                    }
                }));
                return pending;
            }
        }
        return delegate.put(lease, now);
    }

    @Override
    public CompletableFuture<Boolean> delete(Ipv4Address address) {
        return delegate.delete(address);
    }

    @Override
    public Optional<Lease> get(Ipv4Address address) {
        return delegate.get(address);
    }

    @Override
    public List<Lease> findByClient(ClientId clientId) {
        return delegate.findByClient(clientId);
    }

    @Override
    public List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress) {
        return delegate.findByHardwareAddress(hardwareAddress);
    }

    @Override
    public List<Lease> findExpired(Instant now, int limit) {
        return delegate.findExpired(now, limit);
    }

    @Override
    public void forEach(Consumer<Lease> action) {
        delegate.forEach(action);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public StoreHealth health() {
        return delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
