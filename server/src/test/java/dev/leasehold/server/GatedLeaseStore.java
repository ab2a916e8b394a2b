package dev.leasehold.server;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.testkit.ForwardingLeaseStore;
import dev.leasehold.lease.PutResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A store whose writes stay pending until the test opens the gate, like a disk that is slow to
 * fsync: requests that need a lease write stay in flight meanwhile. Reads go straight through.
 */
final class GatedLeaseStore extends ForwardingLeaseStore {

    private final List<Runnable> held = new ArrayList<>();
    private boolean open;

    GatedLeaseStore(LeaseStore delegate) {
        super(delegate);
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
}
