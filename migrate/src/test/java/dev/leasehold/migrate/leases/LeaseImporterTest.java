package dev.leasehold.migrate.leases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.config.Fixtures;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseImporterTest {

    /** Between the leases' start and end in the fixtures the real servers wrote. */
    private static final Instant NOW = Instant.parse("2026-12-02T17:35:00Z");
    private static final Instant LATER = NOW.plusSeconds(600);

    private final ServerConfig config = config("""
            subnets:
              - id: 7
                subnet: 192.0.2.0/24
                pools: [{range: 192.0.2.100-192.0.2.199}]
                reservations:
                  - {hw-address: "02:00:00:00:00:99", ip-address: 192.0.2.10}
            """);
    private final InMemoryLeaseStore store = new InMemoryLeaseStore();
    private final LeaseImporter importer = new LeaseImporter(config, store, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ImportReport report = new ImportReport("leases");

    private static ServerConfig config(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "leasehold.yaml");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ImportedLease lease(String address, String mac, int line) {
        return new ImportedLease(Ipv4Address.parse(address), Optional.of(HardwareAddress.parseEthernet(mac)), Optional.empty(),
                Optional.of(NOW.minusSeconds(60)), LATER, LeaseState.ACTIVE, "", line);
    }

    @Test
    void leasesOfARealDhcpdFileKeepTheirClientsExpiryAndSubnet() throws Exception {
        List<ImportedLease> leases = DhcpdLeaseFile.parse(Fixtures.read("dhcpd/dhcpd-uid-and-mac.leases"), "dhcpd.leases", report);

        LeaseImporter.Summary summary = importer.load(leases, report);

        assertThat(summary).isEqualTo(new LeaseImporter.Summary(2, 2, 2, 0));
        Lease duidClient = store.get(Ipv4Address.parse("192.0.2.100")).orElseThrow();
        assertThat(duidClient.clientId().toString()).isEqualTo("ff:45:35:f7:1d:00:01:00:01:32:a3:11:6d:02:d3:0f:fc:00:0c");
        assertThat(duidClient.subnetId()).isEqualTo(7);
        assertThat(duidClient.expiresAt()).isEqualTo(Instant.parse("2026-12-02T17:40:42Z"));
        assertThat(duidClient.start()).isEqualTo(Instant.parse("2026-12-02T17:30:42Z"));
        Lease macClient = store.get(Ipv4Address.parse("192.0.2.101")).orElseThrow();
        // No option 61 on file: the client is known as the engine knows it, htype 1 + MAC (RFC 2131 §4.2).
        assertThat(macClient.clientId()).isEqualTo(ClientId.of(HardwareAddress.parseEthernet("ea:fb:45:35:f7:1d")));
        assertThat(macClient.hostname()).isEqualTo("vm");
        assertThat(macClient.isActiveAt(NOW)).isTrue();
    }

    @Test
    void aLeaseOutsideEveryConfiguredSubnetIsRefusedWithItsLine() throws Exception {
        LeaseImporter.Summary summary = importer.load(List.of(lease("198.51.100.7", "aa:bb:cc:dd:ee:01", 12)), report);

        assertThat(summary.refused()).isOne();
        assertThat(store.size()).isZero();
        assertThat(report.render()).isEqualTo("leases:12: refused: lease 198.51.100.7: outside every configured subnet");
    }

    @Test
    void anAddressIsNeverGivenToTwoClients() throws Exception {
        store.put(new Lease(Ipv4Address.parse("192.0.2.150"), ClientId.parse("01:aa:bb:cc:dd:ee:99"),
                HardwareAddress.parseEthernet("aa:bb:cc:dd:ee:99"), 7, LeaseState.ACTIVE, NOW, LATER, ""), NOW).join();

        importer.load(List.of(
                lease("192.0.2.150", "aa:bb:cc:dd:ee:01", 1),   // held in the store by another client
                lease("192.0.2.151", "aa:bb:cc:dd:ee:02", 2),
                lease("192.0.2.151", "aa:bb:cc:dd:ee:03", 3),   // a second line for the same address
                lease("192.0.2.10", "aa:bb:cc:dd:ee:04", 4)),   // reserved for 02:00:00:00:00:99
                report);

        assertThat(store.get(Ipv4Address.parse("192.0.2.150")).orElseThrow().hardwareAddress().toString()).isEqualTo("aa:bb:cc:dd:ee:99");
        assertThat(store.get(Ipv4Address.parse("192.0.2.151")).orElseThrow().hardwareAddress().toString()).isEqualTo("aa:bb:cc:dd:ee:02");
        assertThat(store.get(Ipv4Address.parse("192.0.2.10"))).isEmpty();
        assertThat(report.entries()).extracting(ImportReport.Entry::line).containsExactly(1, 3, 4);
    }

    @Test
    void aClientKeepsOneActiveAddressPerSubnet() throws Exception {
        importer.load(List.of(lease("192.0.2.120", "aa:bb:cc:dd:ee:01", 1), lease("192.0.2.121", "aa:bb:cc:dd:ee:01", 2)), report);

        assertThat(store.size()).isOne();
        assertThat(report.render()).contains("leases:2: refused: lease 192.0.2.121: client 01:aa:bb:cc:dd:ee:01 already holds 192.0.2.120");
    }

    @Test
    void aPastLeaseIsStoredExpiredForAffinityAndTheNetworkAddressIsRefused() throws Exception {
        ImportedLease past = new ImportedLease(Ipv4Address.parse("192.0.2.130"), Optional.of(HardwareAddress.parseEthernet("aa:bb:cc:dd:ee:05")),
                Optional.empty(), Optional.empty(), NOW.minusSeconds(5), LeaseState.ACTIVE, "", 1);

        importer.load(List.of(past, lease("192.0.2.0", "aa:bb:cc:dd:ee:06", 2)), report);

        Lease stored = store.get(Ipv4Address.parse("192.0.2.130")).orElseThrow();
        assertThat(stored.state()).isEqualTo(LeaseState.EXPIRED);
        assertThat(stored.start()).isEqualTo(stored.expiresAt());
        assertThat(report.entries()).extracting(ImportReport.Entry::line).containsExactly(2);
    }

    @Test
    void importingTheSameFileTwiceChangesNothing() throws Exception {
        List<ImportedLease> leases = List.of(lease("192.0.2.140", "aa:bb:cc:dd:ee:07", 1));
        importer.load(leases, report);
        Lease first = store.get(Ipv4Address.parse("192.0.2.140")).orElseThrow();

        LeaseImporter.Summary again = importer.load(leases, report);

        assertThat(again.stored()).isOne();
        assertThat(store.size()).isOne();
        assertThat(store.get(Ipv4Address.parse("192.0.2.140"))).contains(first);
        assertThat(report.isEmpty()).isTrue();
    }
}
