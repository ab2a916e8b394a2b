package dev.leasehold.migrate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.ImportReport.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpdConfigImporterTest {

    /** A realistic office dhcpd.conf: the constructs dhcpd.conf(5) examples and Debian installs use. */
    private static final String OFFICE = """
            # dhcpd.conf of a two-floor office
            option domain-name "office.example";
            option domain-name-servers 10.0.0.53, 10.0.0.54;
            default-lease-time 3600;
            max-lease-time 7200;
            authoritative;
            ddns-update-style none;
            option wpad code 252 = text;
            option rfc3442-classless-static-routes code 121 = array of integer 8;
            option wpad "http://wpad.office.example/wpad.dat";

            class "phones" {
              match if substring(option vendor-class-identifier, 0, 7) = "Polycom";
              option tftp-server-name "prov.office.example";
            }

            subnet 10.0.0.0 netmask 255.255.255.0 {
              range 10.0.0.100 10.0.0.199;
              option routers 10.0.0.1;
              option rfc3442-classless-static-routes 24, 192, 168, 7, 10, 0, 0, 254;
              option dhcp-renewal-time 1200;
              pool {
                allow members of "phones";
                range 10.0.0.200 10.0.0.220;
              }
            }

            shared-network floor2 {
              interface eth2;
              option domain-name "floor2.office.example";
              subnet 10.0.2.0 netmask 255.255.255.0 { range 10.0.2.10 10.0.2.250; option routers 10.0.2.1; }
              subnet 10.0.3.0 netmask 255.255.255.0 { range 10.0.3.10 10.0.3.250; option routers 10.0.3.1; }
            }

            group {
              option host-name "printer";
              host printer { hardware ethernet 00:11:22:33:44:55; fixed-address 10.0.0.10; }
            }
            host nas { option dhcp-client-identifier 1:0:11:22:33:44:66; fixed-address 10.0.2.20; }
            host printer_2 { hardware ethernet 00:11:22:33:44:77; fixed-address 10.0.0.11; option host-name "printer_2"; }
            host roaming { hardware ethernet 00:11:22:33:44:88; }
            """;

    @Test
    void officeConfigurationMapsSubnetsRangesOptionsClassesAndHosts() throws Exception {
        ImportedConfig imported = DhcpdConfigImporter.importText(OFFICE, "dhcpd.conf", List.of("eth1", "eth2"));

        var config = ConfigLoader.parse(imported.yaml(), "imported.yaml");
        assertThat(config.interfaces()).containsExactly("eth1", "eth2");
        assertThat(config.authoritative()).isTrue();
        assertThat(config.timers().validLifetime().getSeconds()).isEqualTo(3600);
        assertThat(config.timers().maxLifetime().getSeconds()).isEqualTo(7200);
        assertThat(config.options()).extracting(o -> o.code()).containsExactly(15, 6, 252);
        assertThat(config.clientClasses()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("phones"));
        assertThat(config.subnets()).extracting(SubnetConfig::id).containsExactly(1, 2, 3);

        SubnetConfig office = config.subnets().getFirst();
        assertThat(office.pools()).extracting(p -> p.range().toString(), p -> p.clientClasses())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.100-10.0.0.199", List.of()),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.200-10.0.0.220", List.of("phones")));
        assertThat(office.timers().renewTimer().getSeconds()).isEqualTo(1200);
        // Debian's rfc3442 name for option 121, written as bytes, becomes Leasehold's route text.
        assertThat(imported.yaml()).contains("classless-static-route: \"192.168.7.0/24 - 10.0.0.254\"");
        assertThat(office.reservations()).extracting(r -> r.address().toString()).containsExactly("10.0.0.10", "10.0.0.11");
        // The group's host-name is an option of its hosts (12, RFC 2132 §3.14); printer_2's own is no RFC 1123 name.
        assertThat(office.reservations().getFirst().options()).extracting(o -> o.code()).containsExactly(12);
        assertThat(office.reservations().get(1).hostname()).isEmpty();

        SubnetConfig floor2 = config.subnets().get(1);
        assertThat(floor2.interfaceName()).isEqualTo("eth2");
        assertThat(floor2.reservations()).singleElement()
                .satisfies(r -> assertThat(r.clientId().orElseThrow().toString()).isEqualTo("01:00:11:22:33:44:66"));
        assertThat(imported.yaml()).contains("domain-name: \"floor2.office.example\"");

        assertThat(imported.report().entries()).extracting(Entry::line, Entry::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(7, ImportReport.Kind.NOT_MAPPED),     // ddns-update-style
                org.assertj.core.groups.Tuple.tuple(28, ImportReport.Kind.APPROXIMATED),  // shared-network
                org.assertj.core.groups.Tuple.tuple(40, ImportReport.Kind.NOT_MAPPED),    // printer_2's host name
                org.assertj.core.groups.Tuple.tuple(41, ImportReport.Kind.NOT_MAPPED));   // host without address
    }

    @Test
    void debianSampleHasNoSubnetAndIsRefusedAfterReportingItsNameServers() {
        assertThatThrownBy(() -> DhcpdConfigImporter.importText(Fixtures.read("dhcpd/debian-dhcpd.conf"), "dhcpd.conf", List.of()))
                .isInstanceOf(ImportFailedException.class)
                .hasMessageContaining("no subnet of the source could be imported");
    }

    @Test
    void nameServersGivenAsHostNamesAreReported() throws Exception {
        ImportedConfig imported = DhcpdConfigImporter.importText("""
                option domain-name-servers ns1.example.org, ns2.example.org;
                subnet 10.0.0.0 netmask 255.255.255.0 { }
                """, "dhcpd.conf", List.of());

        assertThat(imported.report().entries()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.kind()).isEqualTo(ImportReport.Kind.NOT_MAPPED);
        });
    }

    @Test
    void rangesThatOnlySomeClientsMayUseAreLeftOutRatherThanOpenedToEveryone() throws Exception {
        ImportedConfig imported = DhcpdConfigImporter.importText("""
                subnet 10.0.0.0 netmask 255.255.255.0 {
                  pool { deny unknown-clients; range 10.0.0.10 10.0.0.20; }
                  pool { allow members of "nowhere"; range 10.0.0.30 10.0.0.40; }
                  range 10.0.0.50 10.0.0.60;
                }
                """, "dhcpd.conf", List.of());

        assertThat(imported.config().subnets().getFirst().pools()).singleElement()
                .satisfies(p -> assertThat(p.range().toString()).isEqualTo("10.0.0.50-10.0.0.60"));
        assertThat(imported.report().entries()).extracting(Entry::line).containsExactly(2, 3);
    }

    @Test
    void aMissingSemicolonIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DhcpdConfigImporter.importText("subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.10 10.0.0.20\n}\n",
                "dhcpd.conf", List.of()))
                .isInstanceOf(ImportFailedException.class)
                .hasMessage("dhcpd.conf:2: missing ';' after 'range 10.0.0.10 10.0.0.20'");
    }

    @Test
    void anUnclosedBlockOrStringIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DhcpdConfigImporter.importText("subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.10 10.0.0.20;\n",
                "dhcpd.conf", List.of()))
                .isInstanceOf(ImportFailedException.class).hasMessageStartingWith("dhcpd.conf:2: the file ends inside");
        assertThatThrownBy(() -> DhcpdConfigImporter.importText("option domain-name \"office;\n", "dhcpd.conf", List.of()))
                .isInstanceOf(ImportFailedException.class).hasMessage("dhcpd.conf:1: a quoted string is not closed");
    }
}
