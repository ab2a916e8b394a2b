package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lease time (51), T1 (58) and T2 (59), RFC 2131 §4.3.1 and §4.4.5: from configuration; a
 * client's requested lease time is honoured within [min-lifetime, max-lifetime]
 * (10 minutes to 2 hours in {@link EngineHarness#BASE}, 1 hour by default).
 */
class LeaseTimeTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void clientAskingForNoLeaseTimeGetsTheConfiguredOneWithDefaultTimers() {
        DhcpMessage ack = ackFor(h.client("02:00:00:00:00:01"));

        assertThat(Replies.u32(ack, OptionCode.LEASE_TIME)).hasValue(3600);
        assertThat(Replies.u32(ack, OptionCode.RENEWAL_TIME)).hasValue(1800);   // 0.5 x lease
        assertThat(Replies.u32(ack, OptionCode.REBINDING_TIME)).hasValue(3150); // 0.875 x lease
    }

    @ParameterizedTest(name = "asks {0}s, gets {1}s")
    @CsvSource({"1200, 1200", "600, 600", "7200, 7200", "60, 600", "86400, 7200", "0, 600"})
    void requestedLeaseTimeIsHonouredWithinMinAndMax(long asked, long granted) {
        TestClient client = h.client("02:00:00:00:00:01").withOption(OptionCode.LEASE_TIME, u32(asked));
        DhcpMessage offer = client.discover();
        DhcpMessage ack = client.select(offer).orElseThrow();

        assertThat(Replies.u32(offer, OptionCode.LEASE_TIME)).hasValue(granted);
        assertThat(Replies.u32(ack, OptionCode.LEASE_TIME)).hasValue(granted);
        assertThat(h.lease(ack.yiaddr()).orElseThrow().expiresAt())
                .isEqualTo(h.clock.instant().plus(Duration.ofSeconds(granted)));
    }

    @Test
    void configuredRenewAndRebindTimersAreSent() {
        EngineHarness timers = EngineHarness.start(EngineHarness.BASE
                .replace("min-lifetime: 10m\n", "").replace("max-lifetime: 2h\n", "")
                .replace("valid-lifetime: 1h\n", "valid-lifetime: 1h\nrenew-timer: 20m\nrebind-timer: 45m\n"));

        DhcpMessage ack = ackFor(timers.client("02:00:00:00:00:01"));

        assertThat(Replies.u32(ack, OptionCode.LEASE_TIME)).hasValue(3600);
        assertThat(Replies.u32(ack, OptionCode.RENEWAL_TIME)).hasValue(1200);
        assertThat(Replies.u32(ack, OptionCode.REBINDING_TIME)).hasValue(2700);
    }

    @Test
    void subnetTimersOverrideTheTopLevelOnes() {
        EngineHarness perSubnet = EngineHarness.start(EngineHarness.BASE.replace("""
                    interface: eth0
                """, """
                    interface: eth0
                    valid-lifetime: 15m
                """));

        assertThat(Replies.u32(ackFor(perSubnet.client("02:00:00:00:00:01")), OptionCode.LEASE_TIME)).hasValue(900);
    }

    private static DhcpMessage ackFor(TestClient client) {
        client.dora();
        return client.binding().ack();
    }

    private static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
