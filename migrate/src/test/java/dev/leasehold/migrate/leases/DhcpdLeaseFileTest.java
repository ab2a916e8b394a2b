package dev.leasehold.migrate.leases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.config.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpdLeaseFileTest {

    private final ImportReport report = new ImportReport("dhcpd.leases");

    @Test
    void theLastDeclarationOfAnAddressWinsAndTimesAreUtc() throws Exception {
        // Written by dhcpd 4.4.3 for dhclient: bind, release (binding state free), bind again.
        List<ImportedLease> leases = DhcpdLeaseFile.parse(Fixtures.read("dhcpd/dhcpd.leases"), "dhcpd.leases", report);

        assertThat(leases).singleElement().satisfies(l -> {
            assertThat(l.address().toString()).isEqualTo("192.0.2.100");
            assertThat(l.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(l.start()).contains(Instant.parse("2026-12-02T17:10:18Z"));
            assertThat(l.expiresAt()).isEqualTo(Instant.parse("2026-12-02T17:20:18Z"));
            assertThat(l.hardwareAddress().orElseThrow().toString()).isEqualTo("42:04:bc:8b:c5:f7");
            assertThat(l.clientId()).isEmpty();
            assertThat(l.hostname()).isEqualTo("vm");
        });
    }

    @Test
    void aUidWithOctalEscapesIsTheClientIdentifier() throws Exception {
        // dhcpcd (DUID client id, RFC 4361) and dhclient (no option 61) on the same interface: two clients.
        List<ImportedLease> leases = DhcpdLeaseFile.parse(Fixtures.read("dhcpd/dhcpd-uid-and-mac.leases"), "f", report);

        assertThat(leases).hasSize(2);
        assertThat(leases.getFirst().clientId().orElseThrow().toString())
                .isEqualTo("ff:45:35:f7:1d:00:01:00:01:32:a3:11:6d:02:d3:0f:fc:00:0c");
        assertThat(leases.get(1).clientId()).isEmpty();
        assertThat(leases).extracting(l -> l.hardwareAddress().orElseThrow().toString()).containsOnly("ea:fb:45:35:f7:1d");
    }

    @Test
    void epochTimesColonHexUidsAndStatesAreRead() throws Exception {
        String text = """
                db-time-format local;
                lease 10.0.0.5 {
                  starts epoch 1796231415; # Wed Dec 02 17:10:15 2026
                  ends epoch 1796232015; # Wed Dec 02 17:20:15 2026
                  binding state abandoned;
                  uid 01:aa:bb:cc:dd:ee:ff;
                }
                lease 10.0.0.6 {
                  starts 3 2026/12/02 17:10:15;
                  ends 3 2026/12/02 17:20:15;
                  binding state released;
                  hardware ethernet aa:bb:cc:dd:ee:06;
                }
                """;

        List<ImportedLease> leases = DhcpdLeaseFile.parse(text, "f", report);

        assertThat(leases).extracting(ImportedLease::state).containsExactly(LeaseState.DECLINED, LeaseState.RELEASED);
        assertThat(leases.getFirst().clientId().orElseThrow().toString()).isEqualTo("01:aa:bb:cc:dd:ee:ff");
        assertThat(leases.getFirst().expiresAt()).isEqualTo(Instant.ofEpochSecond(1796232015));
    }

    @Test
    void infiniteLeasesAndOmapiHostsAreReportedAndNeverUsedFreeAddressesSkipped() throws Exception {
        String text = """
                lease 10.0.0.7 { starts 3 2026/12/02 17:10:15; ends never; binding state active; hardware ethernet aa:bb:cc:dd:ee:07; }
                lease 10.0.0.8 { starts 3 2026/12/02 17:10:15; ends 3 2026/12/02 17:10:15; binding state free; }
                host laptop { dynamic; hardware ethernet aa:bb:cc:dd:ee:09; fixed-address 10.0.0.9; }
                """;

        assertThat(DhcpdLeaseFile.parse(text, "f", report)).isEmpty();
        assertThat(report.entries()).extracting(ImportReport.Entry::line).containsExactly(1, 3);
    }

    @Test
    void aMalformedTimeIsRefusedWithItsLine() {
        String text = "lease 10.0.0.5 {\n  starts 3 2026/13/02 17:10:15;\n  ends 3 2026/12/02 17:20:15;\n}\n";

        assertThatThrownBy(() -> DhcpdLeaseFile.parse(text, "dhcpd.leases", report)).isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("dhcpd.leases:2: malformed 'starts 3 2026/13/02 17:10:15' in lease 10.0.0.5");
    }

    @Test
    void aTruncatedFileIsRefusedWithTheLineWhereItEnds() {
        String text = "lease 10.0.0.5 {\n  starts 3 2026/12/02 17:10:15;\n  ends 3 2026/12/02";

        assertThatThrownBy(() -> DhcpdLeaseFile.parse(text, "dhcpd.leases", report)).isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("dhcpd.leases:3: ");
    }
}
