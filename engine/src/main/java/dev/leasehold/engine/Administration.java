package dev.leasehold.engine;

import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Changes that come from outside the protocol: a new configuration (reload), an operator's lease
 * writes (the control API), and other writers of a shared store, whose changes reach the free
 * sets through {@link #refresh(Ipv4Address)} (one address, from the store's change feed) or
 * {@link #rebuild(ServerConfig)} (every address, at reload or when the cache proved stale).
 *
 * <p>A rebuild indexes the store outside the engine lock, then swaps the new state in under it,
 * replaying every address written or reported changed meanwhile.
 */
final class Administration {

    private final EngineCore core;

    Administration(EngineCore core) {
        this.core = core;
    }

    /**
     * Builds the state for {@code config} from the store and swaps it in. Offers still on hold
     * carry over where their address is still a pool address of the same subnet, so a client
     * between OFFER and REQUEST is not NAKed because a reload handed its address to someone else.
     */
    void rebuild(ServerConfig config) {
        core.lock();
        try {
            core.beginRebuild();
        } finally {
            core.unlock();
        }
        EngineState next;
        try {
            next = EngineState.build(config, core.store);
        } catch (RuntimeException e) {
            core.lock();
            try {
                core.endRebuild();
            } finally {
                core.unlock();
            }
            throw e;
        }
        core.lock();
        try {
            Instant now = core.now();
            Set<Ipv4Address> written = core.endRebuild();
            for (Ipv4Address address : written) {
                next.resync(address, core.store.get(address));
            }
            for (OfferBook.Offer offer : core.state.offers.live(now)) {
                SubnetRuntime subnet = next.subnetsById.get(offer.subnetId());
                if (subnet == null || !subnet.config().prefix().contains(offer.address())) {
                    continue;
                }
                AddressPool pool = subnet.poolOf(offer.address()).orElse(null);
                boolean reserved = subnet.reservationAt(offer.address()) != null;
                if (reserved || (pool != null && pool.take(offer.address()))) {
                    next.offers.put(offer);
                }
            }
            core.state = next;
        } finally {
            core.unlock();
        }
    }

    /**
     * Brings the free set in line with what the store now says of {@code address}, which a writer
     * other than this engine changed (another server on a shared store). An address on offer to a
     * client here stays out of the free set until the offer ends. Runs on the store's change-feed
     * thread; the store is read before the lock is taken.
     */
    void refresh(Ipv4Address address) {
        Optional<Lease> stored = core.store.get(address);
        core.lock();
        try {
            core.noteChanged(address);
            EngineState state = core.state;
            boolean held = stored.isPresent()
                    && (stored.get().state() == LeaseState.ACTIVE || stored.get().state() == LeaseState.DECLINED);
            if (!held && state.offers.isOffered(address, core.now())) {
                return;
            }
            state.resync(address, stored);
        } finally {
            core.unlock();
        }
    }

    /**
     * Stores {@code lease} as an operator asked (the control API's add and update), keeping the
     * pools in step with the store: an address the new record holds ({@link Lease#holdsAddressAt})
     * is taken out of its pool before the write is issued, so no DISCOVER can be offered it
     * meanwhile; an address it no longer holds goes back once the write is durable. A DECLINED
     * record starts a probation that ends at its {@code expiresAt}. The store stays the last word:
     * a lease another client holds comes back as {@link PutResult.Conflict} and nothing changes.
     *
     * <p>An outstanding offer of the address to another client is not withdrawn here (offers are
     * indexed by client); that client's REQUEST then meets the stored record and gets a NAK.
     */
    CompletableFuture<PutResult> put(Lease lease) {
        Instant now = core.now();
        Ipv4Address address = lease.address();
        core.lock();
        try {
            EngineState issuedIn = core.state;
            SubnetRuntime subnet = issuedIn.subnetContaining(address);
            boolean holds = lease.holdsAddressAt(now);
            boolean tookSlot = false;
            if (holds && subnet != null) {
                AddressPool pool = subnet.poolOf(address).orElse(null);
                if (pool != null && pool.isFree(address)) {
                    tookSlot = pool.take(address);
                }
            }
            boolean took = tookSlot;
            return core.write(lease, now).thenApply(result -> {
                core.lock();
                try {
                    if (issuedIn == core.state && subnet != null) {
                        if (result instanceof PutResult.Stored) {
                            if (lease.state() == LeaseState.DECLINED && holds) {
                                core.state.probations.add(new EngineState.Probation(lease.expiresAt(), address, true));
                            } else if (!holds) {
                                subnet.returnToPool(address);
                            }
                        } else if (took) {
                            subnet.returnToPool(address);
                        }
                    }
                    return result;
                } finally {
                    core.unlock();
                }
            });
        } finally {
            core.unlock();
        }
    }

    /**
     * Removes the record of {@code address} as an operator asked (the control API's delete and
     * wipe) and, once the removal is durable, returns the address to its pool (unless a
     * reservation or exclusion keeps it out). Completes with the removed lease, or empty when
     * there was none; exceptionally when the store could not write the removal.
     */
    CompletableFuture<Optional<Lease>> delete(Ipv4Address address) {
        core.lock();
        try {
            Optional<Lease> before = core.store.get(address);
            if (before.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            EngineState issuedIn = core.state;
            return core.erase(address).thenApply(gone -> {
                if (!gone) {
                    return Optional.<Lease>empty();
                }
                core.lock();
                try {
                    SubnetRuntime subnet = core.state.subnetContaining(address);
                    // A client may have been granted the address again between the delete and now.
                    if (issuedIn == core.state && subnet != null && core.store.get(address).isEmpty()) {
                        subnet.returnToPool(address);
                    }
                } finally {
                    core.unlock();
                }
                return before;
            });
        } finally {
            core.unlock();
        }
    }
}
