package dev.leasehold.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The engine's parts on their own, below {@link DhcpEngine}: the allocator's choice and its
 * correction of a stale free set, the core's event hand-off at the outermost unlock, the
 * reclaimer's re-check, and the administration's refresh from a change feed.
 */
class EnginePartsTest {

    private static final String CONFIG = """
            allocation: iterative
            valid-lifetime: 1h
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                relay-addresses: [10.0.0.1]
                pools: [{range: 10.0.0.10-10.0.0.19}]
            """;
    private static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    private static final ClientId CLIENT = ClientId.of(MAC);

    private final FakeClock clock = FakeClock.standing();
    private final InMemoryLeaseStore store = new InMemoryLeaseStore();
    private final List<LeaseEvent> delivered = new ArrayList<>();
    private final EngineCore core = new EngineCore(EngineState.build(config(), store), store, clock, new SplittableRandom(7),
            delivered::add);
    private final AddressAllocator allocator = new AddressAllocator(core);

    private static ServerConfig config() {
        try {
            return ConfigLoader.parse(CONFIG, "parts.yaml");
        } catch (dev.leasehold.config.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private SubnetRuntime subnet() {
        return core.state.subnetsById.get(1);
    }

    private DhcpMessage discover() {
        return new ClientMessages(MAC, null, null, ClientMessages.RelayFields.NONE).discover(1, null, false);
    }

    private Lease lease(String address, HardwareAddress hardware, LeaseState state, Instant expiresAt) {
        return new Lease(Ipv4Address.parse(address), ClientId.of(hardware), hardware, 1, state,
                clock.instant(), expiresAt, "");
    }

    private AddressAllocator.Outcome choose() {
        core.lock();
        try {
            return allocator.choose(core.state.linkOf(subnet()), CLIENT, MAC, List.of(), discover(), core.now());
        } finally {
            core.unlock();
        }
    }

    @Nested
    class Allocator {

        @Test
        void aReturningClientGetsTheAddressItHeldMostRecently() {
            Instant earlier = clock.instant().minusSeconds(10);
            store.put(new Lease(Ipv4Address.parse("10.0.0.15"), CLIENT, MAC, 1, LeaseState.EXPIRED, earlier.minusSeconds(100),
                    earlier, ""), clock.instant());
            store.put(new Lease(Ipv4Address.parse("10.0.0.12"), CLIENT, MAC, 1, LeaseState.EXPIRED, earlier.minusSeconds(200),
                    earlier.minusSeconds(100), ""), clock.instant());

            assertThat(choose()).isEqualTo(new AddressAllocator.Outcome.Chosen(
                    new AddressAllocator.Choice(subnet(), Ipv4Address.parse("10.0.0.15"), true, null, true)));
        }

        @Test
        void aStaleFreeEntryIsCorrectedAndTheNextAddressChosen() {
            HardwareAddress other = HardwareAddress.parseEthernet("02:00:00:00:00:02");
            store.put(lease("10.0.0.10", other, LeaseState.ACTIVE, clock.instant().plusSeconds(3600)), clock.instant());
            long freeBefore = subnet().pools().getFirst().freeCount();

            AddressAllocator.Outcome outcome = choose();

            assertThat(outcome).isEqualTo(new AddressAllocator.Outcome.Chosen(
                    new AddressAllocator.Choice(subnet(), Ipv4Address.parse("10.0.0.11"), true, null, false)));
            assertThat(subnet().pools().getFirst().isFree(Ipv4Address.parse("10.0.0.10"))).isFalse();
            assertThat(subnet().pools().getFirst().freeCount()).isEqualTo(freeBefore - 2);
        }

        @Test
        void aReallyFullPoolIsExhaustion() {
            for (int i = 10; i < 20; i++) {
                HardwareAddress other = HardwareAddress.parseEthernet("02:00:00:00:01:%02x".formatted(i));
                store.put(lease("10.0.0." + i, other, LeaseState.ACTIVE, clock.instant().plusSeconds(3600)), clock.instant());
            }

            assertThat(choose()).isEqualTo(new AddressAllocator.Outcome.NoAddress(DropReason.POOL_EXHAUSTED));
            assertThat(core.refreshWanted).isFalse();
        }
    }

    @Nested
    class Core {

        @Test
        void eventsWaitForTheOutermostUnlock() {
            core.lock();
            core.lock();
            core.emitFor(LeaseEvent.Type.CONFLICT, clock.instant(), Ipv4Address.parse("10.0.0.10"), CLIENT, MAC, 1,
                    Ipv4Address.ANY, new byte[0], "", clock.instant(), "");
            core.unlock();
            assertThat(delivered).isEmpty();
            core.unlock();
            assertThat(delivered).hasSize(1);
        }
    }

    @Nested
    class Reclaimer {

        @Test
        void anExpiredLeaseIsKeptAsExpiredAndToldAfterItsWrite() {
            Lease due = lease("10.0.0.10", MAC, LeaseState.ACTIVE, clock.instant());
            store.put(due, clock.instant());
            LeaseReclaimer reclaimer = new LeaseReclaimer(core);
            clock.advance(Duration.ofSeconds(1));

            assertThat(reclaimer.reclaimExpired(10)).isEqualTo(1);
            assertThat(store.get(due.address()).orElseThrow().state()).isEqualTo(LeaseState.EXPIRED);
            assertThat(delivered).extracting(LeaseEvent::type).containsExactly(LeaseEvent.Type.EXPIRE);
        }
    }

    @Nested
    class Refresh {

        @Test
        void anAddressAnotherServerTookLeavesTheFreeSetAndComesBackWhenItIsFreed() {
            Administration administration = new Administration(core);
            HardwareAddress other = HardwareAddress.parseEthernet("02:00:00:00:00:02");
            Ipv4Address address = Ipv4Address.parse("10.0.0.13");

            store.put(lease("10.0.0.13", other, LeaseState.ACTIVE, clock.instant().plusSeconds(3600)), clock.instant());
            administration.refresh(address);
            assertThat(subnet().pools().getFirst().isFree(address)).isFalse();

            store.delete(address);
            administration.refresh(address);
            assertThat(subnet().pools().getFirst().isFree(address)).isTrue();
        }
    }
}
