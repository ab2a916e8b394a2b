package dev.leasehold.client.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code client --simulate} against a server that answers nothing says what is most likely wrong. */
class SilentServerDiagnosisTest {

    @Test
    void runAgainstAServerThatDropsEverythingSaysWhyItThinksSo() throws Exception {
        try (DatagramChannel blackHole = DatagramChannel.open()) {
            blackHole.bind(new InetSocketAddress("127.0.0.1", 0));
            LoadPlan plan = new LoadPlan((InetSocketAddress) blackHole.getLocalAddress(), Ipv4Address.parse("127.0.0.1"),
                    3, 3, Duration.ofMillis(200), false, false, 5, 0);
            LoadReport report = new LoadGenerator(plan).run();
            blackHole.configureBlocking(false);
            assertThat(blackHole.receive(ByteBuffer.allocate(1500))).as("our DISCOVERs arrived").isNotNull();
            assertThat(report.drops()).isEqualTo(3);
            assertThat(report.diagnosis())
                    .startsWith("no replies at all from 127.0.0.1:" + blackHole.socket().getLocalPort())
                    .contains("is 127.0.0.1 (our giaddr, --relay)").contains("relay-addresses");
            assertThat(report.describe()).contains(report.diagnosis());
        }
    }

    @Test
    void relayAddressThatIsNotOursIsRefusedNamingTheOption() {
        // 192.0.2.1 (TEST-NET-1) is on no interface here: the bind fails before anything is sent.
        LoadPlan plan = new LoadPlan(new InetSocketAddress("127.0.0.1", 9), Ipv4Address.parse("192.0.2.1"),
                1, 1, Duration.ofMillis(100), false, false, 5, 0);
        assertThatThrownBy(() -> new LoadGenerator(plan).run()).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot bind the relay address 192.0.2.1").hasMessageContaining("--relay");
    }

    @Test
    void runWithAnyReplyHasNoDiagnosis() {
        LoadReport.Latency none = new LoadReport.Latency(0, 0, 0, 0);
        LoadReport fine = new LoadReport(1, 1, 0, 0, Duration.ofSeconds(1), none, none, 0, Duration.ZERO, none, "");
        assertThat(fine.describe()).doesNotContain("no replies");
    }
}
