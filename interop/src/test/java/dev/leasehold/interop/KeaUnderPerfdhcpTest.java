package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.KeaDhcp4;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LabSubnet;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.Perfdhcp;
import dev.leasehold.testkit.netns.ServerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * perfdhcp's smoke load in the lab against Kea: the template for issue 4's "1,000 clients with
 * zero drops" and the harness of issue 7's benchmark. The LAN is 198.18.0.0/16 (RFC 2544's
 * benchmarking range, which routes nowhere) so that the pool never fills.
 */
@Tag("netns")
class KeaUnderPerfdhcpTest {

    @Test
    void thousandRelayedDoraExchangesAllGetAnswered() {
        assumeLabAvailable("kea-dhcp4", "perfdhcp");
        try (NetnsLab lab = NetnsLab.create(new LabSpec(1, "198.18.0.1/16", Optional.empty()))) {
            LabNode loadGenerator = lab.addAddress(lab.client(0), "198.18.0.2/16");
            ServerSettings settings = new ServerSettings(List.of(lab.server().interfaceName()),
                    List.of(new LabSubnet("198.18.0.0/16", "198.18.1.0", "198.18.255.254", "198.18.0.1")),
                    List.of("198.18.0.53"), "lab.example", 3600, 1800, 3150);
            LabProcess kea = new KeaDhcp4().start(lab, lab.server().namespace(), settings);

            Perfdhcp.Result result = Perfdhcp.run(lab, loadGenerator, "198.18.0.1", 1000, 500, Duration.ofSeconds(60));

            // perfdhcp sometimes starts one exchange more than asked; every one must be answered.
            assertThat(result.discoversSent()).as(result.output()).isBetween(1000L, 1001L);
            assertThat(result.acksReceived()).as(result.output()).isEqualTo(result.discoversSent());
            assertThat(result.drops()).as(result.output()).isZero();
            assertThat(kea.isAlive()).isTrue();
        }
    }
}
