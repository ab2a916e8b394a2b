package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that DISCOVERs while its lease still runs (a laptop back from sleep, RFC 2131 §4.3.1)
 * is offered its leased address; when that offer goes (another server's offer taken, or its hold
 * lapsing), the address must stay out of the pool, because the lease still holds it. Found by the
 * engine simulation (bench's EngineSimulation, seed 7, 3,000 clients, 30 h): the pool counted the
 * leased address free, and would have offered it to the next client but for the store check.
 */
class OfferOfOwnLeaseTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void choosingAnotherServerKeepsTheLeasedAddressOutOfThePool() {
        TestClient laptop = h.client("02:00:00:00:00:01");
        Ipv4Address leased = laptop.dora().address();
        long free = h.freeAddresses(1);

        assertThat(laptop.discover().yiaddr()).isEqualTo(leased);
        assertThat(laptop.requestSelecting(EngineHarness.OTHER_SERVER, ip("10.0.0.250"))).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.NOT_FOR_US);

        assertThat(h.freeAddresses(1)).as("free addresses while the lease of %s runs", leased).isEqualTo(free);
        assertThat(laptop.renew()).isPresent();
    }

    @Test
    void aLapsedOfferKeepsTheLeasedAddressOutOfThePool() {
        TestClient laptop = h.client("02:00:00:00:00:01");
        Ipv4Address leased = laptop.dora().address();
        long free = h.freeAddresses(1);

        assertThat(laptop.discover().yiaddr()).isEqualTo(leased);
        h.clock.advance(Duration.ofMinutes(1));
        h.engine.reclaimExpired(100); // purges the lapsed offer

        assertThat(h.freeAddresses(1)).as("free addresses while the lease of %s runs", leased).isEqualTo(free);
    }
}
