package dev.leasehold.engine;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Expiry (RFC 2131 §4.4.5 seen from the server): an unrenewed lease goes back to its pool, its
 * record kept (state EXPIRED) so the client's next DISCOVER finds its old address; a declined
 * address whose probation ended goes back with its record removed, so the decliner does not get
 * it again by affinity.
 *
 * <p>Runs on the caller's thread (the server's reclaimer). The store is scanned outside the
 * engine lock; each lease is re-checked and its write issued under the lock, one lease at a
 * time, so packet service never waits for a whole sweep.
 */
final class LeaseReclaimer {

    private final EngineCore core;

    LeaseReclaimer(EngineCore core) {
        this.core = core;
    }

    /** Reclaims up to {@code max} leases; returns how many it did. */
    int reclaimExpired(int max) {
        Instant now = core.now();
        core.lock();
        try {
            core.purgeLapsedOffers(now);
        } finally {
            core.unlock();
        }
        List<Lease> due = new ArrayList<>(core.store.findExpired(now, max));
        core.lock();
        try {
            EngineState state = core.state;
            while (due.size() < max && !state.probations.isEmpty() && !state.probations.peek().endsAt().isAfter(now)) {
                EngineState.Probation ended = state.probations.poll();
                if (!ended.stored()) {
                    SubnetRuntime subnet = state.subnetContaining(ended.address());
                    if (subnet != null) {
                        subnet.returnToPool(ended.address());
                    }
                    continue;
                }
                core.store.get(ended.address())
                        .filter(l -> l.state() == LeaseState.DECLINED && !l.expiresAt().isAfter(now))
                        .ifPresent(due::add);
            }
        } finally {
            core.unlock();
        }
        List<CompletableFuture<PutResult>> writes = new ArrayList<>(due.size());
        for (Lease lease : due) {
            core.lock();
            try {
                // Re-read under the lock: a renewal may have been issued since the scan.
                Optional<Lease> current = core.store.get(lease.address());
                if (current.isEmpty() || !current.get().equals(lease)) {
                    continue;
                }
                EngineState issuedIn = core.state;
                CompletableFuture<PutResult> write = lease.state() == LeaseState.DECLINED
                        ? core.erase(lease.address()).thenApply(gone -> new PutResult.Stored(lease))
                        : core.write(lease.withState(LeaseState.EXPIRED, lease.start(), lease.expiresAt()), now);
                writes.add(write.whenComplete((r, e) -> {
                    if (r instanceof PutResult.Stored) {
                        core.counters.reclaimed();
                        core.lock();
                        try {
                            core.emitFor(LeaseEvent.Type.EXPIRE, now, lease.address(), lease.clientId(),
                                    lease.hardwareAddress(), lease.subnetId(), Ipv4Address.ANY, new byte[0],
                                    lease.hostname(), lease.expiresAt(),
                                    lease.state() == LeaseState.DECLINED ? "probation over" : "");
                            if (issuedIn == core.state) {
                                core.returnToPool(lease.subnetId(), lease.address());
                            }
                        } finally {
                            core.unlock();
                        }
                    }
                }));
            } finally {
                core.unlock();
            }
        }
        int reclaimed = 0;
        for (CompletableFuture<PutResult> w : writes) {
            if (w.join() instanceof PutResult.Stored) {
                reclaimed++;
            }
        }
        return reclaimed;
    }
}
