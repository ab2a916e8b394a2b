package dev.leasehold.engine.lifecycle;

import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.StoreHealth;
import dev.leasehold.testkit.ForwardingLeaseStore;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** An in-memory store whose writes fail, as on a full disk, while the test says so. Reads keep working. */
final class FlakyLeaseStore extends ForwardingLeaseStore {

    private volatile boolean failing;

    FlakyLeaseStore() {
        super(new InMemoryLeaseStore());
    }

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
    public StoreHealth health() {
        return failing ? new StoreHealth(false, "disk full (test)") : delegate.health();
    }
}
