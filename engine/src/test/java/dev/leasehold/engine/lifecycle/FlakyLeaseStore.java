package dev.leasehold.engine.lifecycle;

import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** An in-memory store whose writes fail, as on a full disk, while the test says so. Reads keep working. */
final class FlakyLeaseStore implements LeaseStore {

    private final InMemoryLeaseStore delegate = new InMemoryLeaseStore();
    private volatile boolean failing;

    void failWrites(boolean fail) {
        failing = fail;
    }

    @Override
    public CompletableFuture<PutResult> put(Lease lease, Instant now) {
        return failing
                ? CompletableFuture.completedFuture(new PutResult.Failed("disk full (test)", null))
                : delegate.put(lease, now);
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
        return failing ? new StoreHealth(false, "disk full (test)") : delegate.health();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
