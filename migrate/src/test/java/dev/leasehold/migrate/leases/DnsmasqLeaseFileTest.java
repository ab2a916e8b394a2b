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

class DnsmasqLeaseFileTest {

    private final ImportReport report = new ImportReport("dnsmasq.leases");

    @Test
    void aLineIsExpiryMacAddressHostnameAndClientId() throws Exception {
        // Written by dnsmasq 2.90 for dhclient.
        List<ImportedLease> leases = DnsmasqLeaseFile.parse(Fixtures.read("dnsmasq/dnsmasq.leases"), "f", report);

        assertThat(leases).singleElement().satisfies(l -> {
            assertThat(l.address().toString()).isEqualTo("192.0.2.171");
            assertThat(l.hardwareAddress().orElseThrow().toString()).isEqualTo("42:bd:96:80:62:50");
            assertThat(l.clientId()).isEmpty();
            assertThat(l.expiresAt()).isEqualTo(Instant.ofEpochSecond(1796232030));
            assertThat(l.start()).isEmpty();
            assertThat(l.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(l.hostname()).isEqualTo("vm");
        });
    }

    @Test
    void clientIdsAreKeptAndInfiniteAndDhcpv6LeasesAreReported() throws Exception {
        List<ImportedLease> leases = DnsmasqLeaseFile.parse(Fixtures.read("dnsmasq/dnsmasq-mixed.leases"), "f", report);

        assertThat(leases).extracting(l -> l.address().toString()).containsExactly("192.0.2.144", "192.0.2.171");
        assertThat(leases.get(1).clientId().orElseThrow().toString())
                .isEqualTo("ff:2f:01:ee:c8:00:01:00:01:32:a3:11:6d:02:d3:0f:fc:00:0c");
        assertThat(leases.get(1).hostname()).isEmpty();
        assertThat(report.entries()).extracting(ImportReport.Entry::line).containsExactly(3, 5);
    }

    @Test
    void aLineWithMissingFieldsIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DnsmasqLeaseFile.parse("1796233272 46:62:b8:04:52:8a 192.0.2.144 vm *\n1796233272 46:62:b8\n",
                "dnsmasq.leases", report))
                .isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("dnsmasq.leases:2: expected 'EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID'");
    }

    @Test
    void aBadExpiryOrMacIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DnsmasqLeaseFile.parse("soon 46:62:b8:04:52:8a 192.0.2.144 vm *\n", "f", report))
                .isInstanceOf(ImportFailedException.class).hasMessageStartingWith("f:1: ");
        assertThatThrownBy(() -> DnsmasqLeaseFile.parse("1796233272 46:62:zz:04:52:8a 192.0.2.144 vm *\n", "f", report))
                .isInstanceOf(ImportFailedException.class).hasMessageStartingWith("f:1: ");
    }
}
