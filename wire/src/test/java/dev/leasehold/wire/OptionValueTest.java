package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionValueTest {

    private static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    @Test
    void classlessRoutesDecodeToDestinationPrefixAndRouter() {
        byte[] v = OptionType.CLASSLESS_ROUTES.parseText("10.17.0.0/20 - 10.0.0.2, 0.0.0.0/0 - 192.168.1.1");
        assertThat(OptionType.CLASSLESS_ROUTES.decode(v)).isEqualTo(new OptionValue.ClasslessRoutes(List.of(
                new OptionValue.ClasslessRoute(ip("10.17.0.0"), 20, ip("10.0.0.2")),
                new OptionValue.ClasslessRoute(ip("0.0.0.0"), 0, ip("192.168.1.1")))));
    }

    @Test
    void addressListsNumbersAndTextDecodeToTheirRecords() {
        assertThat(OptionType.IPV4_ADDRESS_LIST.decode(HexFixtures.parse("c0a80101 08080808")))
                .isEqualTo(new OptionValue.Addresses(List.of(ip("192.168.1.1"), ip("8.8.8.8"))));
        assertThat(OptionType.UINT32.decode(HexFixtures.parse("ffffffff"))).isEqualTo(new OptionValue.Unsigned(4294967295L));
        assertThat(OptionType.INT32.decode(HexFixtures.parse("fffff1f0"))).isEqualTo(new OptionValue.Signed(-3600));
        assertThat(OptionType.UINT8_LIST.decode(new byte[] {1, 3, (byte) 121}))
                .isEqualTo(new OptionValue.UnsignedList(List.of(1, 3, 121)));
        assertThat(OptionType.STRING.decode("host1".getBytes())).isEqualTo(new OptionValue.Text("host1"));
        assertThat(OptionType.BOOLEAN.decode(new byte[] {1})).isEqualTo(new OptionValue.Flag(true));
        assertThat(OptionType.EMPTY.decode(new byte[0])).isEqualTo(new OptionValue.Empty());
    }

    @Test
    void domainSearchDecodesWithCompressionResolved() {
        byte[] v = HexFixtures.parse("03 656e67 05 6170706c65 03 636f6d 00 09 6d61726b6574696e67 c004");
        assertThat(OptionType.DOMAIN_SEARCH_LIST.decode(v))
                .isEqualTo(new OptionValue.DomainList(List.of("eng.apple.com", "marketing.apple.com")));
    }

    @Test
    void clientFqdnDecodesFlagsAndName() {
        OptionValue v = OptionType.CLIENT_FQDN.decode(OptionType.CLIENT_FQDN.parseText("5, 255, 255, host.example.com."));
        assertThat(v).isEqualTo(new OptionValue.ClientFqdn(5, 255, 255, "host.example.com."));
        assertThat(((OptionValue.ClientFqdn) v).serverUpdates()).isTrue();
    }

    @Test
    void vendorDataKeepsEnterpriseNumbers() {
        OptionValue v = OptionType.VIVSO.decode(OptionType.VIVSO.parseText("4491=01:01:aa, 9=02:00"));
        assertThat(v).isEqualTo(new OptionValue.VendorData(List.of(
                new OptionValue.VendorBlock(4491, new byte[] {1, 1, (byte) 0xaa}),
                new OptionValue.VendorBlock(9, new byte[] {2, 0}))));
    }

    @Test
    void bytesThatDoNotFitTheTypeDecodeAsOpaque() {
        assertThat(OptionType.IPV4_ADDRESS.decode(new byte[] {1, 2, 3})).isEqualTo(new OptionValue.Opaque(new byte[] {1, 2, 3}));
        assertThat(OptionType.CLASSLESS_ROUTES.decode(new byte[] {33, 1})).isInstanceOf(OptionValue.Opaque.class);
        assertThat(OptionType.DOMAIN_SEARCH_LIST.decode(HexFixtures.parse("c000"))).isInstanceOf(OptionValue.Opaque.class);
    }

    @Test
    void everyStandardOptionDecodesAWellFormedValueToItsOwnRecord() {
        for (OptionDefinition d : OptionDefinitions.standard().all()) {
            String sample = switch (d.type()) {
                case IPV4_ADDRESS -> "10.0.0.1";
                case IPV4_ADDRESS_LIST, IPV4_ADDRESS_LIST_OR_EMPTY -> "10.0.0.1, 10.0.0.2";
                case IPV4_ADDRESS_PAIRS -> "10.0.0.0 - 10.0.0.1";
                case UINT8, UINT16, UINT32, INT32 -> "7";
                case UINT8_LIST, UINT16_LIST -> "1, 2";
                case BOOLEAN -> "true";
                case STRING -> "text";
                case BYTES -> "01:02";
                case EMPTY -> "";
                case DOMAIN_NAME -> "example.com";
                case DOMAIN_SEARCH_LIST -> "example.com, example.org";
                case CLASSLESS_ROUTES -> "10.0.0.0/8 - 10.0.0.1";
                case USER_CLASS -> "lab";
                case CLIENT_FQDN -> "1, 0, 0, h.example";
                case RELAY_AGENT_INFO -> "1=01";
                case VIVCO, VIVSO -> "4491=01:00";
            };
            OptionValue value = d.type().decode(d.parseText(sample));
            assertThat(value instanceof OptionValue.Opaque).as(d.name()).isEqualTo(d.type() == OptionType.BYTES);
        }
    }
}
