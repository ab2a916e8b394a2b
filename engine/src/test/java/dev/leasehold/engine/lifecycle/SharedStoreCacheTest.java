package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The free sets are a cache of the store (DESIGN §3, "a server's in-memory free sets are only a
 * cache"): another server sharing the store writes, releases and deletes leases behind this
 * engine's back, and the engine must neither offer what they hold nor call a pool full that is
 * not. The store's change feed ({@code LeaseStore.watchExternalChanges}) is simulated by
 * {@link InMemoryLeaseStore#putFromElsewhere}; writes made without it stand for a feed that lags.
 */
class SharedStoreCacheTest {

    private static final String TWO_ADDRESSES = EngineHarness.BASE.replace(
            "pools: [{range: 10.0.0.100-10.0.0.199}]", "pools: [{range: 10.0.0.100-10.0.0.101}]");

    private final InMemoryLeaseStore store = new InMemoryLeaseStore();

    @Test
    void freeSetLearnsOfALeaseAnotherServerWrote() {
        EngineHarness h = EngineHarness.start(TWO_ADDRESSES, store);
        assertThat(h.freeAddresses(1)).isEqualTo(2);

        store.putFromElsewhere(otherServersLease(ip("10.0.0.100"), "02:00:00:00:99:01", h.clock.instant(), LeaseState.ACTIVE));

        assertThat(h.freeAddresses(1)).isEqualTo(1);
        assertThat(h.client("02:00:00:00:00:01").dora().address()).isEqualTo(ip("10.0.0.101"));
    }

    @Test
    void freeSetLearnsOfAnAddressAnotherServerReleased() {
        store.put(otherServersLease(ip("10.0.0.100"), "02:00:00:00:99:01", FakeClock.DEFAULT_START, LeaseState.ACTIVE),
                FakeClock.DEFAULT_START);
        EngineHarness h = EngineHarness.start(TWO_ADDRESSES, store);
        assertThat(h.freeAddresses(1)).isEqualTo(1);

        Lease held = store.get(ip("10.0.0.100")).orElseThrow();
        store.putFromElsewhere(held.withState(LeaseState.RELEASED, held.start(), h.clock.instant()));

        assertThat(h.freeAddresses(1)).isEqualTo(2);
    }

    @Test
    void anAddressOnOfferHereStaysOutWhenAnotherServerFreesIt() {
        EngineHarness h = EngineHarness.start(TWO_ADDRESSES, store);
        Ipv4Address offered = h.client("02:00:00:00:00:01").discover().yiaddr();

        store.putFromElsewhere(otherServersLease(offered, "02:00:00:00:99:01", h.clock.instant(), LeaseState.RELEASED));

        assertThat(h.freeAddresses(1)).isEqualTo(1);
    }

    @Test
    void candidatesHeldBehindTheCachesBackAreSkippedNotReportedAsExhaustion() {
        EngineHarness h = EngineHarness.start(EngineHarness.BASE, store);
        // Forty leases of another server that the change feed has not brought yet: the first
        // forty candidates of the iterative allocator are stale.
        for (int i = 0; i < 40; i++) {
            store.put(otherServersLease(ip("10.0.0." + (100 + i)), "02:00:00:00:98:%02x".formatted(i), h.clock.instant(),
                    LeaseState.ACTIVE), h.clock.instant());
        }

        Binding bound = h.client("02:00:00:00:00:01").dora();

        assertThat(bound.address()).isEqualTo(ip("10.0.0.140"));
        assertThat(h.freeAddresses(1)).isEqualTo(100 - 41);
    }

    @Test
    void aCacheTooStaleToCorrectPerRequestIsReindexedByTheNextReclaimerRun() {
        EngineHarness h = EngineHarness.start(EngineHarness.BASE, store);
        for (int i = 0; i < 90; i++) {
            store.put(otherServersLease(ip("10.0.0." + (100 + i)), "02:00:00:00:98:%02x".formatted(i), h.clock.instant(),
                    LeaseState.ACTIVE), h.clock.instant());
        }
        var client = h.client("02:00:00:00:00:01");

        assertThat(client.tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.FREE_SET_STALE);

        h.engine.reclaimExpired(100);

        assertThat(h.freeAddresses(1)).isEqualTo(10);
        assertThat(client.dora().address()).isEqualTo(ip("10.0.0.190"));
    }

    private static Lease otherServersLease(Ipv4Address address, String mac, Instant start, LeaseState state) {
        HardwareAddress hardware = HardwareAddress.parseEthernet(mac);
        return new Lease(address, ClientId.of(hardware), hardware, 1, state, start, start.plus(Duration.ofHours(1)), "");
    }
}
