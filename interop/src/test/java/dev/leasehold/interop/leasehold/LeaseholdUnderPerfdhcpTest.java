package dev.leasehold.interop.leasehold;

import static dev.leasehold.interop.leasehold.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.testkit.netns.LabNode;
import dev.leasehold.testkit.netns.LabSpec;
import dev.leasehold.testkit.netns.LabSubnet;
import dev.leasehold.testkit.netns.LeaseholdServerProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import dev.leasehold.testkit.netns.Perfdhcp;
import dev.leasehold.testkit.netns.ServerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kea's load generator against Leasehold: a short smoke load of 1,000 full DORA exchanges from
 * 1,000 distinct clients, none dropped. perfdhcp acts as a relay agent (giaddr = its own address,
 * RFC 2131 §4.1), so its node has an address in the served subnet, which the giaddr selects. The
 * LAN is 198.18.0.0/16 (RFC 2544's benchmarking range, which routes nowhere) so that the pool
 * never fills.
 */
@Tag("netns")
class LeaseholdUnderPerfdhcpTest {

    private static final int CLIENTS = 1_000;
    private static final int RATE = 250;

    @Test
    void thousandRelayedDoraExchangesAreAllAnsweredAndStored() {
        assumeLabAvailable("perfdhcp");
        try (NetnsLab lab = NetnsLab.create(new LabSpec(1, "198.18.0.1/16", Optional.empty()))) {
            LabNode loadGenerator = lab.addAddress(lab.client(0), "198.18.0.2/16");
            ServerSettings settings = new ServerSettings(List.of(lab.server().interfaceName()),
                    List.of(new LabSubnet("198.18.0.0/16", "198.18.1.0", "198.18.255.254", "198.18.0.1")),
                    List.of("198.18.0.53"), "lab.example", 3600, 1800, 3150);
            LeaseholdServerProcess leasehold = LeaseholdServerProcess.start(lab, lab.server().namespace(), "leasehold",
                    LeaseholdServerProcess.config(settings));

            // 250 exchanges per second, each given 2 s (-d, perfdhcp's drop time) to be answered: a
            // smoke load for a shared 2-core machine with the server's JIT still cold, not a benchmark.
            Perfdhcp.Result result = Perfdhcp.run(lab, loadGenerator, "198.18.0.1", CLIENTS, RATE, Duration.ofSeconds(60),
                    "-d", "2");

            System.out.println(result.output());
            // perfdhcp's rate control may send one exchange more than -n asks for.
            assertThat(result.discoversSent()).as(result.output()).isBetween((long) CLIENTS, CLIENTS + 1L);
            assertThat(result.drops()).as(result.output()).isZero();
            assertThat(result.acksReceived()).as(result.output()).isEqualTo(result.discoversSent());
            assertThat(leasehold.process().isAlive()).as(leasehold.process().tail()).isTrue();
            // Durable before acknowledged (DESIGN §3): every ACK perfdhcp saw is a lease on file,
            // each a different address (the journal's key) for a different client.
            List<Lease> leases = leasehold.leases();
            assertThat(leases).hasSize((int) result.acksReceived())
                    .allSatisfy(l -> assertThat(l.state()).isEqualTo(LeaseState.ACTIVE));
            assertThat(leases.stream().map(Lease::hardwareAddress).distinct()).hasSize(leases.size());
        }
    }
}
