package dev.leasehold.testkit;

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

/**
 * A store that passes every call to another: tests extend it and override only what they bend
 * (a write that fails, a write held back, a write completed on another thread).
 */
public abstract class ForwardingLeaseStore implements LeaseStore {

    protected final LeaseStore delegate;

    protected ForwardingLeaseStore(LeaseStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<PutResult> put(Lease lease, Instant now) {
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
