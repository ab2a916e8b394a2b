package dev.leasehold.migrate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.ImportReport.Entry;
import org.junit.jupiter.api.Test;

class DnsmasqConfigImporterTest {

    /** A home-router dnsmasq.conf in the style of Debian's commented sample, with two LANs. */
    private static final String ROUTER = """
            # DNS off, DHCP for two LANs
            port=0
            interface=eth1,eth2
            dhcp-authoritative
            domain=home.example
            dhcp-range=set:lan,192.168.1.100,192.168.1.199,255.255.255.0,12h
            dhcp-range=set:iot,192.168.2.50,192.168.2.150,255.255.255.0,30m
            dhcp-range=192.168.2.200,192.168.2.220,255.255.255.0,30m   # a second range of the same LAN
            dhcp-option=tag:lan,option:router,192.168.1.1
            dhcp-option=tag:iot,3,192.168.2.1
            dhcp-option=option:dns-server,192.168.1.53
            dhcp-option=option:ntp-server,0.0.0.0
            dhcp-option-force=option:mtu,1492
            dhcp-option=252,"http://wpad.home.example/wpad.dat"
            dhcp-vendorclass=set:phones,Polycom
            dhcp-option=tag:phones,option:tftp-server,"prov.home.example"
            dhcp-mac=set:cams,00:04:f2:*:*:*
            dhcp-host=00:11:22:33:44:55,192.168.1.10,printer
            dhcp-host=id:01:00:11:22:33:44:66,192.168.2.20,nas,infinite
            dhcp-host=00:11:22:33:44:77,set:known,laptop
            dhcp-leasefile=/var/lib/misc/dnsmasq.leases
            dhcp-range=::1,constructor:eth1,ra-stateless
            """;

    @Test
    void routerConfigurationMapsRangesOptionsTagsAndHosts() throws Exception {
        ImportedConfig imported = DnsmasqConfigImporter.importText(ROUTER, "dnsmasq.conf");

        var config = ConfigLoader.parse(imported.yaml(), "imported.yaml");
        assertThat(config.interfaces()).containsExactly("eth1", "eth2");
        assertThat(config.authoritative()).isTrue();
        assertThat(config.subnets()).extracting(s -> s.prefix().toString()).containsExactly("192.168.1.0/24", "192.168.2.0/24");
        SubnetConfig lan = config.subnets().getFirst();
        SubnetConfig iot = config.subnets().get(1);
        assertThat(lan.timers().validLifetime().getSeconds()).isEqualTo(12 * 3600);
        assertThat(iot.timers().validLifetime().getSeconds()).isEqualTo(1800);
        assertThat(iot.pools()).hasSize(2);
        assertThat(lan.options()).extracting(o -> o.code()).containsExactly(3);
        assertThat(iot.options()).extracting(o -> o.code()).containsExactly(3);
        assertThat(config.options()).extracting(o -> o.code(), o -> o.alwaysSend()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(6, false), org.assertj.core.groups.Tuple.tuple(26, true),
                org.assertj.core.groups.Tuple.tuple(252, false), org.assertj.core.groups.Tuple.tuple(15, false));
        assertThat(config.clientClasses()).extracting(c -> c.name()).containsExactly("phones", "cams");
        assertThat(imported.yaml()).contains("match: {mac-prefix: \"00:04:f2\"}");
        assertThat(lan.reservations()).singleElement().satisfies(r -> assertThat(r.hostname()).isEqualTo("printer"));
        assertThat(iot.reservations()).singleElement()
                .satisfies(r -> assertThat(r.clientId().orElseThrow().toString()).isEqualTo("01:00:11:22:33:44:66"));

        assertThat(imported.report().entries()).extracting(Entry::line, Entry::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, ImportReport.Kind.NOT_MAPPED),     // port=0 (DNS)
                org.assertj.core.groups.Tuple.tuple(12, ImportReport.Kind.NOT_MAPPED),    // 0.0.0.0: dnsmasq's own address
                org.assertj.core.groups.Tuple.tuple(15, ImportReport.Kind.APPROXIMATED),  // vendor class: substring → prefix
                org.assertj.core.groups.Tuple.tuple(19, ImportReport.Kind.NOT_MAPPED),    // host's infinite lease time
                org.assertj.core.groups.Tuple.tuple(20, ImportReport.Kind.NOT_MAPPED),    // host tag
                org.assertj.core.groups.Tuple.tuple(20, ImportReport.Kind.NOT_MAPPED),    // host without address
                org.assertj.core.groups.Tuple.tuple(21, ImportReport.Kind.NOT_MAPPED),    // dhcp-leasefile
                org.assertj.core.groups.Tuple.tuple(22, ImportReport.Kind.NOT_MAPPED));   // DHCPv6 range
    }

    @Test
    void aRangeWithoutNetmaskAssumesASlash24AndSaysSoAsDoesAMissingRouter() throws Exception {
        ImportedConfig imported = DnsmasqConfigImporter.importText("dhcp-range=10.0.5.10,10.0.5.90\n", "dnsmasq.conf");

        assertThat(imported.config().subnets().getFirst().prefix().toString()).isEqualTo("10.0.5.0/24");
        assertThat(imported.report().entries(ImportReport.Kind.APPROXIMATED)).hasSize(2)
                .allSatisfy(e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    void debianSampleHasEverythingCommentedOutAndNothingToServe() {
        assertThatThrownBy(() -> DnsmasqConfigImporter.importText(Fixtures.read("dnsmasq/debian-dnsmasq.conf"), "dnsmasq.conf"))
                .isInstanceOf(ImportFailedException.class)
                .hasMessageContaining("no subnet of the source could be imported");
    }

    @Test
    void aLineThatIsNoOptionIsRefusedWithItsLine() {
        assertThatThrownBy(() -> DnsmasqConfigImporter.importText("dhcp-range=10.0.5.10,10.0.5.90\n<html>\n", "dnsmasq.conf"))
                .isInstanceOf(ImportFailedException.class)
                .hasMessage("dnsmasq.conf:2: not a dnsmasq option line: '<html>'");
    }

    @Test
    void aMalformedRangeIsReportedWithItsLine() throws Exception {
        ImportedConfig imported = DnsmasqConfigImporter.importText(
                "dhcp-range=10.0.5.10,10.0.5.90,255.255.255.0\ndhcp-range=10.0.6.10,10.0.6.999,255.255.255.0\n", "dnsmasq.conf");

        assertThat(imported.report().entries(ImportReport.Kind.NOT_MAPPED)).singleElement()
                .satisfies(e -> assertThat(e.line()).isEqualTo(2));
    }
}
