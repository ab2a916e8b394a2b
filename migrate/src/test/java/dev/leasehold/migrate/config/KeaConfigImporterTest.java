package dev.leasehold.migrate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.ImportReport.Entry;
import org.junit.jupiter.api.Test;

class KeaConfigImporterTest {

    private static ImportedConfig importKea(String dhcp4Members) throws ImportFailedException {
        return KeaConfigImporter.importText("{ \"Dhcp4\": {\n" + dhcp4Members + "\n} }\n", "kea.conf");
    }

    @Test
    void debianSampleImportsAndEveryConstructLeftOutIsReportedWithItsLine() throws Exception {
        ImportedConfig imported = KeaConfigImporter.importText(Fixtures.read("kea/debian-kea-dhcp4.conf"), "kea-dhcp4.conf");

        ServerConfig reread = ConfigLoader.parse(imported.yaml(), "imported.yaml");
        assertThat(reread.subnets()).singleElement().satisfies(s -> {
            assertThat(s.prefix().toString()).isEqualTo("192.0.2.0/24");
            assertThat(s.pools()).hasSize(1);
            // 201 by MAC, 202/204/205 by client id; 203 (DUID) and 206 (flex-id) cannot be expressed.
            assertThat(s.reservations()).extracting(r -> r.address().toString())
                    .containsExactly("192.0.2.201", "192.0.2.202", "192.0.2.204", "192.0.2.205");
        });
        assertThat(reread.clientClasses()).extracting(c -> c.name()).containsExactly("voip");
        assertThat(reread.timers().validLifetime().getSeconds()).isEqualTo(3600);
        assertThat(imported.report().entries()).extracting(Entry::line, Entry::kind)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(50, ImportReport.Kind.NOT_MAPPED),   // control-socket
                        org.assertj.core.groups.Tuple.tuple(61, ImportReport.Kind.NOT_MAPPED),   // lease-database
                        org.assertj.core.groups.Tuple.tuple(348, ImportReport.Kind.NOT_MAPPED),  // duid reservation
                        org.assertj.core.groups.Tuple.tuple(374, ImportReport.Kind.NOT_MAPPED),  // vendor-4491 space
                        org.assertj.core.groups.Tuple.tuple(401, ImportReport.Kind.NOT_MAPPED),  // flex-id reservation
                        org.assertj.core.groups.Tuple.tuple(417, ImportReport.Kind.NOT_MAPPED)); // loggers
        assertThat(imported.report().render()).contains("kea-dhcp4.conf:348: not mapped: reservation 192.0.2.203: identified by duid");
    }

    @Test
    void hexNumbersAndEscapedCommasOfKeaCsvDataBecomeLeaseholdText() throws Exception {
        ImportedConfig imported = importKea("""
                "option-data": [ { "name": "default-ip-ttl", "data": "0xf0" },
                                 { "name": "boot-file-name", "data": "EST5EDT4\\\\,M3.2.0" } ],
                "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ]""");

        assertThat(imported.yaml()).contains("default-ip-ttl: \"240\"").contains("boot-file-name: \"EST5EDT4,M3.2.0\"");
        assertThat(imported.report().isEmpty()).isTrue();
    }

    @Test
    void customOptionDefinitionBecomesASiteOptionWithCodeAndType() throws Exception {
        ImportedConfig imported = importKea("""
                "option-def": [ { "name": "wpad", "code": 252, "type": "string" },
                                { "name": "site-servers", "code": 224, "type": "ipv4-address", "array": true } ],
                "option-data": [ { "name": "wpad", "data": "http://wpad/wpad.dat", "always-send": true },
                                 { "code": 224, "data": "10.0.0.7, 10.0.0.8" } ],
                "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ]""");

        assertThat(imported.config().options()).extracting(o -> o.code()).containsExactly(252, 224);
        assertThat(imported.config().options().getFirst().alwaysSend()).isTrue();
        assertThat(imported.config().options().get(1).value()).containsExactly(10, 0, 0, 7, 10, 0, 0, 8);
        assertThat(imported.yaml()).contains("\"wpad\": {code: 252, type: string, value: \"http://wpad/wpad.dat\", always-send: true}");
    }

    @Test
    void sharedNetworkSubnetsInheritItsInterfaceOptionsAndTimersAndTheApproximationIsReported() throws Exception {
        ImportedConfig imported = importKea("""
                "interfaces-config": { "interfaces": [ "eth1" ] },
                "shared-networks": [ {
                    "name": "floor1", "interface": "eth1", "valid-lifetime": 600,
                    "option-data": [ { "name": "domain-name", "data": "floor1.example" } ],
                    "subnet4": [
                      { "id": 10, "subnet": "10.1.0.0/24", "pools": [ { "pool": "10.1.0.10 - 10.1.0.99" } ] },
                      { "id": 11, "subnet": "10.1.1.0/24", "pools": [ { "pool": "10.1.1.0/25" } ],
                        "option-data": [ { "name": "domain-name", "data": "annex.example" } ] } ] } ]""");

        assertThat(imported.config().subnets()).extracting(SubnetConfig::id).containsExactly(10, 11);
        assertThat(imported.config().subnets()).allSatisfy(s -> {
            assertThat(s.interfaceName()).isEqualTo("eth1");
            assertThat(s.timers().validLifetime().getSeconds()).isEqualTo(600);
        });
        assertThat(imported.yaml()).contains("domain-name: \"floor1.example\"").contains("domain-name: \"annex.example\"");
        assertThat(imported.report().entries(ImportReport.Kind.APPROXIMATED)).singleElement()
                .satisfies(e -> assertThat(e.line()).isEqualTo(3));
        // 10.1.1.0/25 holds the subnet's network address: Leasehold refuses that pool, and says so.
        assertThat(imported.report().entries(ImportReport.Kind.NOT_MAPPED)).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.reason()).startsWith("Leasehold refuses it: ").contains("network address");
        });
    }

    @Test
    void relayAddressesMapAndOneListedTwiceIsKeptOnlyOnTheFirstSubnet() throws Exception {
        ImportedConfig imported = importKea("""
                "subnet4": [
                  { "id": 1, "subnet": "10.0.0.0/24", "relay": { "ip-addresses": [ "192.168.5.1" ] } },
                  { "id": 2, "subnet": "10.0.1.0/24", "relay": { "ip-addresses": [ "192.168.5.1", "192.168.5.2" ] } } ]""");

        assertThat(imported.config().subnets().get(0).relayAddresses()).extracting(Object::toString).containsExactly("192.168.5.1");
        assertThat(imported.config().subnets().get(1).relayAddresses()).extracting(Object::toString).containsExactly("192.168.5.2");
        assertThat(imported.report().entries()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.reason()).contains("already a relay address");
        });
    }

    @Test
    void classTestsLeaseholdCanExpressBecomeClassesAndPoolsOfOtherClassesAreLeftOut() throws Exception {
        ImportedConfig imported = importKea("""
                "client-classes": [
                  { "name": "phones", "test": "substring(option[60].hex,0,7) == 'Polycom'" },
                  { "name": "lab", "test": "substring(pkt4.mac,0,3) == 0x0004f2 and relay4[1].hex == 'port7'" },
                  { "name": "odd", "test": "option[93].hex == 0x0007 or member('KNOWN')" } ],
                "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24", "pools": [
                    { "pool": "10.0.0.10 - 10.0.0.19", "client-class": "phones" },
                    { "pool": "10.0.0.20 - 10.0.0.29", "client-class": "odd" } ] } ]""");

        assertThat(imported.yaml()).contains("match: {vendor-class-prefix: \"Polycom\"}")
                .contains("match: {mac-prefix: \"00:04:f2\", circuit-id: \"port7\"}");
        assertThat(imported.config().subnets().getFirst().pools()).singleElement()
                .satisfies(p -> assertThat(p.clientClasses()).containsExactly("phones"));
        assertThat(imported.report().entries()).extracting(Entry::line).containsExactly(5, 8);
    }

    @Test
    void leaseTimeOptionsBecomeTimersAndASubnetWithoutIdIsNumberedAroundTheGivenOnes() throws Exception {
        ImportedConfig imported = importKea("""
                "option-data": [ { "name": "dhcp-renewal-time", "data": "100" }, { "code": 51, "data": "400" } ],
                "subnet4": [ { "subnet": "10.0.0.0/24" }, { "id": 1, "subnet": "10.0.1.0/24" } ]""");

        assertThat(imported.config().timers().validLifetime().getSeconds()).isEqualTo(400);
        assertThat(imported.config().timers().renewTimer().getSeconds()).isEqualTo(100);
        assertThat(imported.config().subnets()).extracting(SubnetConfig::id).containsExactly(2, 1);
    }

    @Test
    void textThatMeansSomethingElseInYamlIsWrittenSoThatLeaseholdReadsItBackAndKeaNamesAreTranslated() throws Exception {
        ImportedConfig imported = importKea("""
                "option-data": [ { "name": "boot-file-name", "data": "yes" },
                                 { "name": "root-path", "data": "*C:\\\\boot \\"quoted\\" # not a comment" },
                                 { "name": "v4-captive-portal", "data": "https://portal.example/" } ],
                "subnet4": [ { "id": 1, "subnet": "10.0.0.0/24" } ]""");

        assertThat(imported.config().options()).extracting(o -> new String(o.value(), java.nio.charset.StandardCharsets.UTF_8))
                .containsExactly("yes", "*C:\\boot \"quoted\" # not a comment", "https://portal.example/");
    }

    @Test
    void malformedJsonIsRefusedWithItsLine() {
        assertThatThrownBy(() -> KeaConfigImporter.importText("{ \"Dhcp4\": {\n  \"valid-lifetime\": 600\n  \"subnet4\": []\n} }",
                "kea.conf"))
                .isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("kea.conf:3: not Kea's JSON");
    }

    @Test
    void includeDirectiveIsRefusedWithItsLine() {
        assertThatThrownBy(() -> KeaConfigImporter.importText("{ \"Dhcp4\": {\n<?include \"subnets.json\"?>\n} }", "kea.conf"))
                .isInstanceOf(ImportFailedException.class)
                .hasMessageStartingWith("kea.conf:2: <?include?> is not followed");
    }

    @Test
    void aFileWithoutAnyServableSubnetIsRefused() {
        assertThatThrownBy(() -> importKea("\"subnet4\": [ { \"id\": 1, \"subnet\": \"2001:db8::/64\" } ]"))
                .isInstanceOf(ImportFailedException.class)
                .hasMessageContaining("no subnet of the source could be imported");
    }
}
