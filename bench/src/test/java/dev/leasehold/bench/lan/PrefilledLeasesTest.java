package dev.leasehold.bench.lan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefilledLeasesTest {

    private final PrefilledLeases leases = new PrefilledLeases(1000, Ipv4Address.parse("10.1.0.0"), 16, 7,
            Instant.parse("2026-01-01T00:00:00Z"), 3600);

    @Test
    void journalReopensWithEveryLeaseActiveAtItsSpreadAddress(@TempDir Path dir) throws Exception {
        leases.writeJournal(dir);

        try (JournalLeaseStore store = JournalLeaseStore.open(dir)) {
            assertThat(store.size()).isEqualTo(1000);
            var last = store.get(Ipv4Address.parse("10.1.62.112")).orElseThrow(); // 10.1.0.0 + 999 * 16
            assertThat(last.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(last.subnetId()).isEqualTo(7);
            assertThat(last.hardwareAddress().bytes()).containsExactly(0x02, 0xfe, 0, 0, 0x03, 0xe7);
            assertThat(last.expiresAt()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        }
    }

    @Test
    void keaCsvHasKeasHeaderAndOneActiveLinePerLease(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("kea.csv");
        leases.writeKeaCsv(csv);

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1001);
        assertThat(lines.getFirst()).startsWith("address,hwaddr,client_id,valid_lifetime,expire,subnet_id");
        // address, MAC, client id 01+MAC, lifetime, expire = 2026-01-01T01:00Z, subnet 7, no DNS, no name, state 0
        assertThat(lines.get(2)).isEqualTo("10.1.0.16,02:fe:00:00:00:01,01:02:fe:00:00:00:01,3600,1767229200,7,0,0,,0,");
    }

    @Test
    void dnsmasqFileNamesExpiryMacAddressAndClientId(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dnsmasq.leases");
        leases.writeDnsmasqLeases(file);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1000);
        assertThat(lines.get(1)).isEqualTo("1767229200 02:fe:00:00:00:01 10.1.0.16 * 01:02:fe:00:00:00:01");
    }

    @Test
    void leasesRunningPastTheAddressSpaceAreRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() ->
                new PrefilledLeases(2, Ipv4Address.parse("255.255.255.255"), 1, 1, Instant.EPOCH, 60));
    }
}
