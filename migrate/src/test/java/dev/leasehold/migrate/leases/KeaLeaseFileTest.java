package dev.leasehold.migrate.leases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.config.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeaLeaseFileTest {

    private static final String HEADER = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context\n";

    @Test
    void aReleaseRowDeletesTheLeaseAndTheLaterRowOfTheAddressWins() throws Exception {
        // Written by kea-dhcp4 2.2 for dhclient: bind, release (valid_lifetime 0), bind again.
        List<ImportedLease> leases = KeaLeaseFile.parse(Fixtures.read("kea/kea-leases4.csv"), "kea-leases4.csv");

        assertThat(leases).singleElement().satisfies(l -> {
            assertThat(l.address().toString()).isEqualTo("192.0.2.100");
            assertThat(l.hardwareAddress().orElseThrow().toString()).isEqualTo("5e:a5:36:f1:8f:89");
            assertThat(l.clientId()).isEmpty();
            assertThat(l.expiresAt()).isEqualTo(Instant.ofEpochSecond(1796232009));
            assertThat(l.start()).contains(Instant.ofEpochSecond(1796232009 - 600));
            assertThat(l.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(l.hostname()).isEqualTo("vm");
            assertThat(l.line()).isEqualTo(4);
        });
    }

    @Test
    void clientIdOfADuidClientIsReadAsHex() throws Exception {
        String text = HEADER + "192.0.2.171,62:a6:2f:01:ee:c8,ff:2f:01:ee:c8:00:01:00:01:32:a3:11:6d:02:d3:0f:fc:00:0c,600,1796233226,1,0,0,,0,\n";

        ImportedLease lease = KeaLeaseFile.parse(text, "f.csv").getFirst();

        assertThat(lease.clientId().orElseThrow().toString()).isEqualTo("ff:2f:01:ee:c8:00:01:00:01:32:a3:11:6d:02:d3:0f:fc:00:0c");
        assertThat(lease.hostname()).isEmpty();
    }

    @Test
    void statesMapToLeaseholdStatesAndEscapedCommasInHostnamesAreRestored() throws Exception {
        String text = HEADER
                + "10.0.0.1,aa:bb:cc:dd:ee:01,,600,1796233226,1,0,0,a&#x2cb,1,\n"
                + "10.0.0.2,aa:bb:cc:dd:ee:02,,600,1796233226,1,0,0,,2,\n"
                + "10.0.0.3,aa:bb:cc:dd:ee:03,,600,1796233226,1,0,0,,3,\n";

        assertThat(KeaLeaseFile.parse(text, "f.csv")).extracting(ImportedLease::state)
                .containsExactly(LeaseState.DECLINED, LeaseState.EXPIRED, LeaseState.RELEASED);
        assertThat(KeaLeaseFile.parse(text, "f.csv").getFirst().hostname()).isEqualTo("a,b");
    }

    @Test
    void theLastRowOfAnAddressDecidesItsClient() throws Exception {
        // dhcpcd (DUID client id) bound 192.0.2.100, then dhclient on the same interface took it over by MAC.
        List<ImportedLease> leases = KeaLeaseFile.parse(Fixtures.read("kea/kea-leases4-dhcpcd-then-dhclient.csv"), "f.csv");

        assertThat(leases).singleElement().satisfies(l -> {
            assertThat(l.hardwareAddress().orElseThrow().toString()).isEqualTo("62:a6:2f:01:ee:c8");
            assertThat(l.clientId()).isEmpty();
            assertThat(l.line()).isEqualTo(8);
        });
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsRefusedWithItsLine() {
        String text = HEADER + "10.0.0.1,aa:bb:cc:dd:ee:01,,600,1796233226,1,0,0,,0,\n10.0.0.2,aa:bb:cc:dd:ee:02,,600\n";

        assertThatThrownBy(() -> KeaLeaseFile.parse(text, "f.csv")).isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("f.csv:3: 4 fields where the header names 11");
    }

    @Test
    void anUnreadableAddressOrStateIsRefusedWithItsLine() {
        assertThatThrownBy(() -> KeaLeaseFile.parse(HEADER + "10.0.0.300,aa:bb:cc:dd:ee:01,,600,1796233226,1,0,0,,0,\n", "f.csv"))
                .isInstanceOf(ImportFailedException.class).hasMessageStartingWith("f.csv:2: ");
        assertThatThrownBy(() -> KeaLeaseFile.parse(HEADER + "10.0.0.3,aa:bb:cc:dd:ee:01,,600,1796233226,1,0,0,,9,\n", "f.csv"))
                .isInstanceOf(ImportFailedException.class).hasMessageContaining("f.csv:2: unknown lease state 9");
    }

    @Test
    void aFileWithoutKeasHeaderIsRefused() {
        assertThatThrownBy(() -> KeaLeaseFile.parse("10.0.0.1,aa:bb:cc:dd:ee:01\n", "f.csv"))
                .isInstanceOf(ImportFailedException.class).hasMessageStartingWith("f.csv:1: not a Kea DHCPv4 lease file");
    }
}
