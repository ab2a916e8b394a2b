package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code limits.max-leases.per-circuit-id} counts a lease for as long as it runs. A relayed
 * client renews at T1 by unicast straight to the server (RFC 2131 §4.4.5), so its renewal carries
 * no option 82 (RFC 3046 §2.1: only the relay adds it): the lease must keep counting for the
 * circuit it was granted on, or one port could take any number of addresses by renewing each at
 * once.
 */
class CircuitLimitAfterRenewalTest {

    @Test
    void aLeaseRenewedByUnicastStillCountsForItsCircuit() {
        EngineHarness h = EngineHarness.start(EngineHarness.BASE + "limits:\n  max-leases: {per-circuit-id: 1}\n");
        Ipv4Address relay = ip("10.0.2.1");
        Binding bound = h.relayedClient("02:00:00:00:02:01", relay, "port-1").dora();

        h.clock.advance(Duration.ofMinutes(30));
        h.arrivingOn(""); // plain UDP from the client itself
        TestClient renewing = h.client("02:00:00:00:02:01");
        assertThat(renewing.requestWithCiaddr(bound.address(), TestClient.Delivery.UNICAST))
                .hasValueSatisfying(ack -> assertThat(ack.messageType()).contains(MessageType.ACK));

        assertThat(h.relayedClient("02:00:00:00:02:02", relay, "port-1").tryDiscover(null, false))
                .as("a second client on port-1 while the first one's lease runs").isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.LEASE_LIMIT);
    }
}
