package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.FakeClock;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.ReplyFitter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** Omitted options are told once per client, and again only when what is left out changes. */
class OmittedOptionsLogTest {

    private final OmittedOptionsLog log = new OmittedOptionsLog(
            new RateLimitedLog(NOPLogger.NOP_LOGGER, FakeClock.standing(), 10_000, 5));

    private static DhcpMessage from(String mac) {
        return DhcpMessage.builder().hardwareAddress(HardwareAddress.parseEthernet(mac)).build();
    }

    private static ReplyFitter.Fitted leftOut(Integer... codes) {
        return new ReplyFitter.Fitted(new byte[300], 548, List.of(codes));
    }

    @Test
    void sameOmissionForTheSameClientIsToldOnce() {
        DhcpMessage request = from("02:00:00:00:00:01");

        assertThat(log.report(request, request, leftOut(252, 121))).isTrue();
        assertThat(log.report(request, request, leftOut(252, 121))).isFalse();
        assertThat(log.report(request, request, leftOut(252))).as("changed").isTrue();
        assertThat(log.report(from("02:00:00:00:00:02"), request, leftOut(252))).as("another client").isTrue();
    }
}
