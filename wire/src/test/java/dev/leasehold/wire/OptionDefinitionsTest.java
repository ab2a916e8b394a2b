package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OptionDefinitionsTest {

    private final OptionDefinitions table = OptionDefinitions.standard();

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void tableHoldsEveryRfc2132OptionAndTheLaterOnes() {
        Set<Integer> codes = table.all().stream().map(OptionDefinition::code).collect(Collectors.toSet());
        // RFC 2132 defines 1-61 and 64-76
        IntStream.rangeClosed(1, 61).forEach(c -> assertThat(codes).contains(c));
        IntStream.rangeClosed(64, 76).forEach(c -> assertThat(codes).contains(c));
        assertThat(codes).contains(77, 80, 81, 82, 93, 94, 97, 108, 114, 118, 119, 121, 124, 125);
    }

    @Test
    void namesAndCodesLookUpBothWays() {
        assertThat(table.byName("domain-name-servers")).map(OptionDefinition::code).contains(6);
        assertThat(table.byName("classless-static-route")).map(OptionDefinition::type).contains(OptionType.CLASSLESS_ROUTES);
        assertThat(table.byCode(51)).map(OptionDefinition::name).contains("dhcp-lease-time");
        assertThat(table.byCode(108)).map(OptionDefinition::name).contains("v6-only-preferred");
        assertThat(table.byCode(114)).map(OptionDefinition::name).contains("captive-portal");
        assertThat(table.byName("no-such-option")).isEmpty();
        assertThat(table.byCode(200)).isEmpty();
        assertThat(table.all()).isSortedAccordingTo((a, b) -> Integer.compare(a.code(), b.code()));
    }

    @Test
    void standardTableCannotBeChanged() {
        assertThatThrownBy(() -> table.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void addressListParsesCommaSeparatedAndFormatsBack() {
        byte[] v = OptionType.IPV4_ADDRESS_LIST.parseText("10.0.0.1, 10.0.0.2");
        assertThat(v).containsExactly(hex("0a000001 0a000002"));
        assertThat(OptionType.IPV4_ADDRESS_LIST.formatText(v)).isEqualTo("10.0.0.1, 10.0.0.2");
    }

    @Test
    void badAddressInListIsRefusedNamingIt() {
        assertThatThrownBy(() -> OptionType.IPV4_ADDRESS_LIST.parseText("10.0.0.1, 10.0.0.256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.256");
        assertThatThrownBy(() -> OptionType.IPV4_ADDRESS_LIST.parseText("10.0.0.1,,10.0.0.2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty item");
        assertThatThrownBy(() -> OptionType.IPV4_ADDRESS_LIST.parseText(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void definitionPrefixesErrorsWithOptionName() {
        OptionDefinition mtu = table.byName("interface-mtu").orElseThrow();
        assertThatThrownBy(() -> mtu.parseText("70000"))
                .hasMessageStartingWith("interface-mtu (option 26): '70000' is not an unsigned 16-bit number");
    }

    @Test
    void classlessRoutesEncodeSignificantOctetsOnly() {
        byte[] v = OptionType.CLASSLESS_ROUTES.parseText("10.0.0.0/8 - 10.0.0.1, 0.0.0.0/0 - 192.168.1.1, 10.17.0.0/20 - 10.0.0.2");
        // width 8, 1 octet (10), router 10.0.0.1 | width 0, no octet, router | width 20, 3 octets
        assertThat(v).containsExactly(hex("08 0a 0a000001  00 c0a80101  14 0a1100 0a000002"));
        assertThat(OptionType.CLASSLESS_ROUTES.formatText(v))
                .isEqualTo("10.0.0.0/8 - 10.0.0.1, 0.0.0.0/0 - 192.168.1.1, 10.17.0.0/20 - 10.0.0.2");
    }

    @Test
    void classlessRouteWithHostBitsIsRefused() {
        assertThatThrownBy(() -> OptionType.CLASSLESS_ROUTES.parseText("10.1.2.3/8 - 10.0.0.1"))
                .hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> OptionType.CLASSLESS_ROUTES.parseText("10.0.0.0/33 - 10.0.0.1"))
                .hasMessageContaining("0-32");
        assertThatThrownBy(() -> OptionType.CLASSLESS_ROUTES.parseText("10.0.0.0/8"))
                .hasMessageContaining("destination/length - router");
    }

    @Test
    void truncatedClasslessRouteFormatsAsHex() {
        assertThat(OptionType.CLASSLESS_ROUTES.formatText(hex("18 0a00"))).isEqualTo("18:0a:00");
    }

    @Test
    void domainSearchCompressesRepeatedSuffixes() {
        byte[] v = OptionType.DOMAIN_SEARCH_LIST.parseText("eng.example.com, example.com, corp.example.com");
        assertThat(v).containsExactly(hex(
                "03656e67 076578616d706c65 03636f6d 00" // eng.example.com at 0, example.com at 4
                + "c004"                                  // example.com: pointer to 4
                + "04636f7270 c004"));                   // corp + pointer to example.com
        assertThat(OptionType.DOMAIN_SEARCH_LIST.formatText(v)).isEqualTo("eng.example.com, example.com, corp.example.com");
    }

    @Test
    void domainSearchRfc3397ExampleDecodes() {
        // RFC 3397 §3 example: eng.apple.com. and marketing.apple.com. with a pointer
        byte[] v = hex("03 656e67 05 6170706c65 03 636f6d 00 09 6d61726b6574696e67 c004");
        assertThat(OptionType.DOMAIN_SEARCH_LIST.formatText(v)).isEqualTo("eng.apple.com, marketing.apple.com");
    }

    @Test
    void domainSearchPointerLoopIsMalformedNotAHang() {
        assertThat(OptionType.DOMAIN_SEARCH_LIST.isWellFormed(hex("c000"))).isFalse();
        assertThat(OptionType.DOMAIN_SEARCH_LIST.isWellFormed(hex("03616263 c002"))).isFalse();
        assertThat(OptionType.DOMAIN_SEARCH_LIST.formatText(hex("03616263 c002"))).isEqualTo("03:61:62:63:c0:02");
    }

    @Test
    void numbersAreRangeChecked() {
        assertThat(OptionType.UINT32.parseText("4294967295")).containsExactly(hex("ffffffff"));
        assertThat(OptionType.INT32.parseText("-3600")).containsExactly(hex("fffff1f0"));
        assertThat(OptionType.INT32.formatText(hex("fffff1f0"))).isEqualTo("-3600");
        assertThatThrownBy(() -> OptionType.UINT8.parseText("256")).hasMessageContaining("0-255");
        assertThatThrownBy(() -> OptionType.UINT16.parseText("-1")).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> OptionType.UINT32.parseText("ten")).hasMessageContaining("'ten'");
    }

    @Test
    void booleanAcceptsOnlyTrueAndFalse() {
        assertThat(OptionType.BOOLEAN.parseText("true")).containsExactly(1);
        assertThat(OptionType.BOOLEAN.parseText("false")).containsExactly(0);
        assertThatThrownBy(() -> OptionType.BOOLEAN.parseText("yes")).hasMessageContaining("true or false");
        assertThat(OptionType.BOOLEAN.formatText(new byte[] {2})).isEqualTo("02");
    }

    @Test
    void bytesAreColonHex() {
        assertThat(OptionType.BYTES.parseText("01:02:0a")).containsExactly(1, 2, 10);
        assertThat(OptionType.BYTES.formatText(new byte[] {1, 2, 10})).isEqualTo("01:02:0a");
        assertThatThrownBy(() -> OptionType.BYTES.parseText("01:0g")).hasMessageContaining("not hex");
        assertThatThrownBy(() -> OptionType.BYTES.parseText("")).hasMessageContaining("at least one");
    }

    @Test
    void stringThatIsNotTextFormatsAsHex() {
        assertThat(OptionType.STRING.formatText("host1".getBytes())).isEqualTo("host1");
        assertThat(OptionType.STRING.formatText(hex("686f737400"))).isEqualTo("68:6f:73:74:00");
        assertThatThrownBy(() -> OptionType.STRING.parseText("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressPairsAcceptDashedAndFlatForms() {
        byte[] dashed = OptionType.IPV4_ADDRESS_PAIRS.parseText("10.0.0.0 - 10.0.0.1");
        assertThat(OptionType.IPV4_ADDRESS_PAIRS.parseText("10.0.0.0, 10.0.0.1")).containsExactly(dashed);
        assertThat(OptionType.IPV4_ADDRESS_PAIRS.formatText(dashed)).isEqualTo("10.0.0.0 - 10.0.0.1");
        assertThatThrownBy(() -> OptionType.IPV4_ADDRESS_PAIRS.parseText("10.0.0.0, 10.0.0.1, 10.0.0.2"))
                .hasMessageContaining("odd number");
    }

    @Test
    void clientFqdnUsesLabelsWhenEFlagIsSet() {
        byte[] v = OptionType.CLIENT_FQDN.parseText("5, 255, 255, host.example.com.");
        assertThat(v).containsExactly(hex("05 ff ff 04686f7374 076578616d706c65 03636f6d 00"));
        assertThat(OptionType.CLIENT_FQDN.formatText(v)).isEqualTo("5, 255, 255, host.example.com.");
        byte[] partial = OptionType.CLIENT_FQDN.parseText("4, 0, 0, host");
        assertThat(partial).containsExactly(hex("04 00 00 04686f7374"));
        assertThat(OptionType.CLIENT_FQDN.formatText(partial)).isEqualTo("4, 0, 0, host");
        byte[] ascii = OptionType.CLIENT_FQDN.parseText("1, 0, 0, host.example.com");
        assertThat(OptionType.CLIENT_FQDN.formatText(ascii)).isEqualTo("1, 0, 0, host.example.com");
        assertThat(OptionType.CLIENT_FQDN.formatText(OptionType.CLIENT_FQDN.parseText("0, 0, 0,"))).isEqualTo("0, 0, 0,");
    }

    @Test
    void relayAgentInfoTextIsCodeEqualsHex() {
        byte[] v = OptionType.RELAY_AGENT_INFO.parseText("1=00:04:00:01, 2=aa:bb, 19=");
        assertThat(v).containsExactly(hex("01 04 00040001 02 02 aabb 13 00"));
        assertThat(OptionType.RELAY_AGENT_INFO.formatText(v)).isEqualTo("1=00:04:00:01, 2=aa:bb, 19=");
        assertThat(OptionType.RELAY_AGENT_INFO.isWellFormed(hex("01 05 0001"))).isFalse();
    }

    @Test
    void vendorIdentifyingOptionsCarryEnterpriseNumbers() {
        byte[] v = OptionType.VIVSO.parseText("4491=01:02:aa:bb");
        assertThat(v).containsExactly(hex("0000118b 04 0102aabb"));
        assertThat(OptionType.VIVSO.formatText(v)).isEqualTo("4491=01:02:aa:bb");
        assertThatThrownBy(() -> OptionType.VIVSO.parseText("4491=01:05:aa")).hasMessageContaining("sub-options");
        assertThat(OptionType.VIVCO.parseText("9=03:61:62:63")).containsExactly(hex("00000009 04 03616263"));
    }

    @Test
    void userClassIsLengthPrefixedInstances() {
        byte[] v = OptionType.USER_CLASS.parseText("accounting, lab");
        assertThat(v).containsExactly(hex("0a 6163636f756e74696e67 03 6c6162"));
        assertThat(OptionType.USER_CLASS.formatText(v)).isEqualTo("accounting, lab");
        // Windows sends the bare text without the RFC 3004 length byte: shown as hex
        assertThat(OptionType.USER_CLASS.formatText("MSFT".getBytes())).isEqualTo("4d:53:46:54");
    }

    @Test
    void rapidCommitIsEmpty() {
        assertThat(OptionType.EMPTY.parseText("")).isEmpty();
        assertThatThrownBy(() -> OptionType.EMPTY.parseText("1")).hasMessageContaining("no value");
        assertThat(OptionType.EMPTY.allowsEmpty()).isTrue();
        assertThat(OptionType.UINT8.allowsEmpty()).isFalse();
    }

    @Test
    void domainNameIsCheckedText() {
        assertThat(OptionType.DOMAIN_NAME.parseText("example.com")).containsExactly("example.com".getBytes());
        assertThatThrownBy(() -> OptionType.DOMAIN_NAME.parseText("exa mple.com")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> OptionType.DOMAIN_NAME.parseText("a..b")).hasMessageContaining("1-63");
    }

    @Test
    void everyTypeFormatsWhatItParsesBackToTheSameBytes() {
        String[][] samples = {
            {"subnet-mask", "255.255.255.0"}, {"routers", "10.0.0.1, 10.0.0.2"}, {"time-offset", "-7200"},
            {"interface-mtu", "1500"}, {"dhcp-lease-time", "86400"}, {"ip-forwarding", "false"},
            {"host-name", "pc-42"}, {"domain-name", "example.com"}, {"domain-search", "a.example, b.example"},
            {"classless-static-route", "0.0.0.0/0 - 10.0.0.1"}, {"static-routes", "10.9.0.0 - 10.0.0.1"},
            {"path-mtu-plateau-table", "68, 296, 1500"}, {"dhcp-parameter-request-list", "1, 3, 6"},
            {"vendor-encapsulated-options", "01:02:0a"}, {"rapid-commit", ""}, {"fqdn", "1, 0, 0, h.example"},
            {"dhcp-agent-options", "1=01, 2=02:03"}, {"vivco-suboptions", "4491=01"}, {"user-class", "x"},
            {"mobile-ip-home-agent", ""}, {"v6-only-preferred", "1800"}, {"captive-portal", "https://portal.example/"},
        };
        for (String[] s : samples) {
            OptionDefinition d = table.byName(s[0]).orElseThrow();
            byte[] wire = d.parseText(s[1]);
            assertThat(d.type().isWellFormed(wire)).as(s[0]).isTrue();
            assertThat(d.parseText(d.formatText(wire))).as(s[0]).containsExactly(wire);
        }
    }
}
