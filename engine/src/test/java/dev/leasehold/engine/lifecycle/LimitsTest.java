package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.client.Binding;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pool's defences ({@code limits}): a flood of new clients, one circuit or vendor taking
 * every address, a client declining address after address, a host posing as a relay. Known
 * clients renew and come back whatever the limits say.
 */
class LimitsTest {

    private static String withLimits(String limits) {
        return EngineHarness.BASE + "limits:\n" + limits.indent(2);
    }

    @Test
    void newClientsAboveTheRateAreDroppedWhileAKnownClientRenewsAndReturns() {
        EngineHarness h = EngineHarness.start(withLimits("new-clients: {rate: 2/s, burst: 2, per: subnet}"));
        TestClient known = h.client("02:00:00:00:00:01");
        Binding bound = known.dora(); // one token for its DISCOVER
        h.client("02:00:00:00:00:02").discover(); // the second token

        assertThat(h.client("02:00:00:00:00:03").tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.RATE_LIMITED);
        assertThat(known.renew().map(Replies::type)).contains(MessageType.ACK);
        assertThat(h.client("02:00:00:00:00:01").discover().yiaddr()).isEqualTo(bound.address());

        h.clock.advance(Duration.ofSeconds(1));
        assertThat(h.client("02:00:00:00:00:03").tryDiscover(null, false)).isPresent();
        assertThat(h.engine.counters().droppedCount(DropReason.RATE_LIMITED)).isEqualTo(1);
    }

    @Test
    void offersToUnknownClientsHoldNoMoreThanTheirShareOfThePool() {
        // 100 addresses, 3 %: three offers to new clients at once.
        EngineHarness h = EngineHarness.start(withLimits("unknown-offer-share: 3%"));
        for (int i = 1; i <= 3; i++) {
            h.client("02:00:00:00:01:0" + i).discover();
        }

        assertThat(h.client("02:00:00:00:01:04").tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.OFFER_SHARE_LIMIT);

        // One of them takes its offer: it is a lease now, and room opens for the next newcomer.
        TestClient first = h.client("02:00:00:00:01:01");
        first.select(first.discover());
        assertThat(h.client("02:00:00:00:01:04").tryDiscover(null, false)).isPresent();
    }

    @Test
    void aCircuitHoldsNoMoreThanItsLeasesUntilOneIsReleased() {
        EngineHarness h = EngineHarness.start(withLimits("max-leases: {per-circuit-id: 2}"));
        Ipv4Address relay = ip("10.0.2.1");
        TestClient a = h.relayedClient("02:00:00:00:02:01", relay, "port-1");
        a.dora();
        h.relayedClient("02:00:00:00:02:02", relay, "port-1").dora();

        assertThat(h.relayedClient("02:00:00:00:02:03", relay, "port-1").tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.LEASE_LIMIT);
        assertThat(h.relayedClient("02:00:00:00:02:04", relay, "port-2").tryDiscover(null, false)).isPresent();

        a.release();
        assertThat(h.relayedClient("02:00:00:00:02:03", relay, "port-1").tryDiscover(null, false)).isPresent();
    }

    @Test
    void offersOutstandingToACircuitCountAgainstItsLeases() {
        // A flood from one circuit sends its DISCOVERs before any REQUEST (LeaseholdUnderAbuseTest
        // found it): counted by leases alone, every one was offered and every REQUEST acknowledged.
        EngineHarness h = EngineHarness.start(withLimits("max-leases: {per-circuit-id: 2}"));
        Ipv4Address relay = ip("10.0.2.1");
        TestClient a = h.relayedClient("02:00:00:00:06:01", relay, "evil");
        TestClient b = h.relayedClient("02:00:00:00:06:02", relay, "evil");
        var offerA = a.discover();
        var offerB = b.discover();

        assertThat(h.relayedClient("02:00:00:00:06:03", relay, "evil").tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.LEASE_LIMIT);
        assertThat(h.relayedClient("02:00:00:00:06:04", relay, "port-2").tryDiscover(null, false)).isPresent();

        // The two offers become the circuit's two leases: still no room, and none while they run.
        assertThat(a.select(offerA).map(Replies::type)).contains(MessageType.ACK);
        assertThat(b.select(offerB).map(Replies::type)).contains(MessageType.ACK);
        assertThat(h.relayedClient("02:00:00:00:06:03", relay, "evil").tryDiscover(null, false)).isEmpty();

        // A release gives a place back, and so does an offer that lapses.
        a.release();
        assertThat(h.relayedClient("02:00:00:00:06:03", relay, "evil").tryDiscover(null, false)).isPresent();
        assertThat(h.relayedClient("02:00:00:00:06:05", relay, "evil").tryDiscover(null, false)).isEmpty();
        h.clock.advance(Duration.ofMinutes(5));
        assertThat(h.relayedClient("02:00:00:00:06:05", relay, "evil").tryDiscover(null, false)).isPresent();
    }

    @Test
    void aMacPrefixHoldsNoMoreThanItsLeases() {
        EngineHarness h = EngineHarness.start(withLimits("max-leases: {per-mac-prefix: {length: 3, max: 1}}"));
        h.client("02:aa:bb:00:00:01").dora();

        assertThat(h.client("02:aa:bb:00:00:02").tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.LEASE_LIMIT);
        assertThat(h.client("02:cc:dd:00:00:01").tryDiscover(null, false)).isPresent();
    }

    @Test
    void declinesBeyondTheCapAreIgnoredAndTheLeaseStays() {
        EngineHarness h = EngineHarness.start(withLimits("declines: {max: 2, per: 1h}"));
        TestClient client = h.client("02:00:00:00:03:01");
        for (int i = 0; i < 2; i++) {
            client.dora();
            client.decline();
            assertThat(h.engine.counters().declineCount()).isEqualTo(i + 1);
        }
        Binding third = client.dora();

        client.decline();

        assertThat(h.lastDropReason()).isEqualTo(DropReason.DECLINE_LIMIT);
        assertThat(h.lease(third.address()).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(h.engine.counters().declineCount()).isEqualTo(2);
    }

    @Test
    void relayedRequestsFromAnUntrustedSourceAreDropped() {
        EngineHarness h = EngineHarness.start(withLimits("trusted-relays: [10.0.2.1]"));
        TestClient client = h.relayedClient("02:00:00:00:04:01", ip("10.0.2.1"), "port-9");

        h.from("10.0.0.66"); // a host on the directly attached LAN posing as the relay
        assertThat(client.tryDiscover(null, false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.RELAY_UNTRUSTED);

        h.from("10.0.2.1");
        assertThat(client.tryDiscover(null, false)).isPresent();
    }

    @Test
    void option82WithoutGiaddrIsDroppedOrIgnoredAsConfigured() {
        byte[] madeUp = {1, 4, 'e', 'v', 'i', 'l'};
        EngineHarness dropping = EngineHarness.start(withLimits("option-82-without-giaddr: drop"));
        assertThat(dropping.client("02:00:00:00:05:01").withOption(OptionCode.RELAY_AGENT_INFORMATION, madeUp)
                .tryDiscover(null, false)).isEmpty();
        assertThat(dropping.lastDropReason()).isEqualTo(DropReason.RELAY_UNTRUSTED);

        EngineHarness ignoring = EngineHarness.start(withLimits("option-82-without-giaddr: ignore"));
        var offer = ignoring.client("02:00:00:00:05:01").withOption(OptionCode.RELAY_AGENT_INFORMATION, madeUp)
                .tryDiscover(null, false);
        assertThat(offer).isPresent();
        assertThat(offer.get().options().contains(OptionCode.RELAY_AGENT_INFORMATION)).isFalse();
    }

    @Test
    void aSubnetsOwnLimitsReplaceTheTopLevels() {
        EngineHarness h = EngineHarness.start(withLimits("new-clients: {rate: 1/h, burst: 1}")
                .replace("    pools: [{range: 10.0.2.100-10.0.2.199}]",
                        "    pools: [{range: 10.0.2.100-10.0.2.199}]\n    limits: {}"));
        Ipv4Address relay = ip("10.0.2.1");
        for (int i = 1; i <= 5; i++) {
            assertThat(h.relayedClient("02:00:00:00:06:0" + i, relay, "p").tryDiscover(null, false)).isPresent();
        }
        h.client("02:00:00:00:07:01").discover();
        assertThat(h.client("02:00:00:00:07:02").tryDiscover(null, false)).isEmpty();
    }

    @Test
    void badLimitsAreRefusedNamingThePath() {
        assertThatThrownBy(() -> ConfigLoader.parse(withLimits("new-clients: {rate: 10 per second}"), "limits.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.new-clients.rate");
        assertThatThrownBy(() -> ConfigLoader.parse(withLimits("unknown-offer-share: 150%"), "limits.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.unknown-offer-share");
        assertThatThrownBy(() -> ConfigLoader.parse(withLimits("max-leases: {per-circuit: 3}"), "limits.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("limits.max-leases.per-circuit")
                .hasMessageContaining("per-circuit-id");
    }
}
