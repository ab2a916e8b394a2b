package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientClassTest {

    private static ClassMatch matchOf(String match) {
        return load("client-classes:\n  - {name: c, match: " + match + "}\n" + Configs.MINIMAL_SUBNET)
                .clientClasses().getFirst().match();
    }

    private static ConfigProblem problemOf(String classes) {
        return problem("client-classes:\n" + classes + "\n" + Configs.MINIMAL_SUBNET);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void singleTestIsTheMatchItself() {
        assertThat(matchOf("{vendor-class-prefix: MSFT}")).isEqualTo(new ClassMatch.VendorClassPrefix(utf8("MSFT")));
        assertThat(matchOf("{user-class: iPXE}")).isEqualTo(new ClassMatch.UserClass(utf8("iPXE")));
        assertThat(matchOf("{circuit-id: eth0/1/3}")).isEqualTo(new ClassMatch.CircuitId(utf8("eth0/1/3")));
        assertThat(matchOf("{remote-id: modem-17}")).isEqualTo(new ClassMatch.RemoteId(utf8("modem-17")));
    }

    @Test
    void macPrefixIsReadAsHexBytes() {
        // 00:04:f2, Polycom's OUI
        assertThat(matchOf("{mac-prefix: \"00:04:f2\"}")).isEqualTo(new ClassMatch.MacPrefix(new byte[] {0x00, 0x04, (byte) 0xF2}));
        assertThat(matchOf("{mac-prefix: 0x0004f2}")).isEqualTo(new ClassMatch.MacPrefix(new byte[] {0x00, 0x04, (byte) 0xF2}));
    }

    @Test
    void hexTextMatchesRawBytes() {
        // circuit-id as agents often send it: a binary port number, 0x0001 0x0003
        assertThat(matchOf("{circuit-id: \"0x00010003\"}")).isEqualTo(new ClassMatch.CircuitId(new byte[] {0, 1, 0, 3}));
    }

    @Test
    void severalTestsMustAllHold() {
        assertThat(matchOf("{vendor-class-prefix: Polycom, remote-id: building-4}")).isEqualTo(new ClassMatch.AllOf(List.of(
                new ClassMatch.VendorClassPrefix(utf8("Polycom")), new ClassMatch.RemoteId(utf8("building-4")))));
    }

    @Test
    void classesKeepTheirFileOrder() {
        ServerConfig config = load("""
                client-classes:
                  - {name: b, match: {user-class: x}}
                  - {name: a, match: {user-class: y}}
                """ + Configs.MINIMAL_SUBNET);
        assertThat(config.clientClasses()).extracting(ClientClassConfig::name).containsExactly("b", "a");
    }

    @Test
    void duplicateClassNameIsRefusedAtTheSecond() {
        assertThat(problemOf("""
                  - {name: voip, match: {user-class: x}}
                  - {name: voip, match: {user-class: y}}""").toString()).isEqualTo(
                "test.yaml:3: client-classes[1].name: the class 'voip' is already defined on line 2");
    }

    @Test
    void classWithoutMatchIsRefused() {
        assertThat(problemOf("  - {name: voip}").toString()).isEqualTo("test.yaml:2: client-classes[0].match: required, but missing");
    }

    @Test
    void emptyMatchIsRefused() {
        assertThat(problemOf("  - {name: voip, match: {}}").message()).startsWith("needs at least one test");
    }

    @Test
    void unknownMatchKeyIsRefused() {
        assertThat(problemOf("  - {name: voip, match: {vendor-class: Polycom}}").toString()).isEqualTo(
                "test.yaml:2: client-classes[0].match.vendor-class: unknown key; did you mean 'vendor-class-prefix'?");
    }

    @Test
    void malformedHexIsRefused() {
        assertThat(problemOf("  - {name: c, match: {remote-id: \"0x123\"}}").message()).isEqualTo(
                "not hex bytes (0x followed by pairs of hex digits): '0x123'");
    }

    @Test
    void malformedMacPrefixIsRefused() {
        assertThat(problemOf("  - {name: c, match: {mac-prefix: \"00:4:f2\"}}").message()).isEqualTo(
                "not a MAC prefix (hex bytes such as 00:04:f2): '00:4:f2'");
    }

    @Test
    void classNameWithSpacesIsRefused() {
        assertThat(problemOf("  - {name: \"voice phones\", match: {user-class: x}}").message()).startsWith(
                "'voice phones' is not a valid name");
    }

    // ---- the typed expression form: option, relay, all / any / not ----

    private static ClassMatch.ValueTest test(ClassMatch.ValueTest.Kind kind, byte[] value) {
        return new ClassMatch.ValueTest(kind, value);
    }

    @Test
    void optionEqualsReadsTextAsUtf8Bytes() {
        assertThat(matchOf("{option: {code: 12, equals: printer-3}}"))
                .isEqualTo(new ClassMatch.OptionValue(12, test(ClassMatch.ValueTest.Kind.EQUALS, utf8("printer-3"))));
    }

    @Test
    void optionPrefixAndContainsTakeTextOrHex() {
        assertThat(matchOf("{option: {code: 60, prefix: PXEClient}}"))
                .isEqualTo(new ClassMatch.OptionValue(60, test(ClassMatch.ValueTest.Kind.PREFIX, utf8("PXEClient"))));
        assertThat(matchOf("{option: {code: 125, contains: \"0x00000de9\"}}"))
                .isEqualTo(new ClassMatch.OptionValue(125, test(ClassMatch.ValueTest.Kind.CONTAINS, new byte[] {0, 0, 0x0d, (byte) 0xe9})));
    }

    @Test
    void optionHexIsEqualityWithBytes() {
        // option 93, client system architecture 7: EFI x86-64 (RFC 4578 §2.1)
        assertThat(matchOf("{option: {code: 93, hex: \"00:07\"}}"))
                .isEqualTo(new ClassMatch.OptionValue(93, test(ClassMatch.ValueTest.Kind.EQUALS, new byte[] {0, 7})));
        assertThat(matchOf("{option: {code: 93, hex: \"0x0007\"}}"))
                .isEqualTo(new ClassMatch.OptionValue(93, test(ClassMatch.ValueTest.Kind.EQUALS, new byte[] {0, 7})));
    }

    @Test
    void optionExistsTrueOrFalse() {
        assertThat(matchOf("{option: {code: 81, exists: true}}"))
                .isEqualTo(new ClassMatch.OptionValue(81, test(ClassMatch.ValueTest.Kind.EXISTS, new byte[0])));
        assertThat(matchOf("{option: {code: 81, exists: false}}"))
                .isEqualTo(new ClassMatch.OptionValue(81, test(ClassMatch.ValueTest.Kind.ABSENT, new byte[0])));
    }

    @Test
    void relaySubOptionTest() {
        assertThat(matchOf("{relay: {sub-option: 1, prefix: \"eth0/\"}}"))
                .isEqualTo(new ClassMatch.RelaySubOption(1, test(ClassMatch.ValueTest.Kind.PREFIX, utf8("eth0/"))));
    }

    @Test
    void allAnyAndNotNest() {
        ClassMatch pxe = new ClassMatch.OptionValue(60, test(ClassMatch.ValueTest.Kind.PREFIX, utf8("PXEClient")));
        ClassMatch efi7 = new ClassMatch.OptionValue(93, test(ClassMatch.ValueTest.Kind.EQUALS, new byte[] {0, 7}));
        ClassMatch efi9 = new ClassMatch.OptionValue(93, test(ClassMatch.ValueTest.Kind.EQUALS, new byte[] {0, 9}));
        ClassMatch ipxe = new ClassMatch.UserClass(utf8("iPXE"));

        assertThat(matchOf("""
                {all: [{option: {code: 60, prefix: PXEClient}},
                       {any: [{option: {code: 93, hex: "00:07"}}, {option: {code: 93, hex: "00:09"}}]},
                       {not: {user-class: iPXE}}]}"""))
                .isEqualTo(new ClassMatch.AllOf(List.of(pxe, new ClassMatch.AnyOf(List.of(efi7, efi9)), new ClassMatch.Not(ipxe))));
    }

    @Test
    void macPrefixCombinesWithTheNewForms() {
        assertThat(matchOf("{mac-prefix: \"00:04:f2\", not: {option: {code: 12, exists: true}}}")).isEqualTo(new ClassMatch.AllOf(List.of(
                new ClassMatch.MacPrefix(new byte[] {0, 4, (byte) 0xF2}),
                new ClassMatch.Not(new ClassMatch.OptionValue(12, test(ClassMatch.ValueTest.Kind.EXISTS, new byte[0]))))));
    }

    @Test
    void optionCodeOutOfRangeIsRefusedNamingThePath() {
        assertThat(problemOf("  - {name: c, match: {any: [{user-class: x}, {option: {code: 255, exists: true}}]}}").toString())
                .startsWith("test.yaml:2: client-classes[0].match.any[1].option.code: ");
    }

    @Test
    void optionWithoutCodeIsRefused() {
        assertThat(problemOf("  - {name: c, match: {option: {equals: x}}}").toString())
                .isEqualTo("test.yaml:2: client-classes[0].match.option.code: required, but missing");
    }

    @Test
    void optionWithTwoTestsOrNoneIsRefused() {
        assertThat(problemOf("  - {name: c, match: {option: {code: 12, equals: a, prefix: b}}}").toString())
                .isEqualTo("test.yaml:2: client-classes[0].match.option: takes only one test of equals, prefix, contains,"
                        + " exists, hex, not [equals, prefix]");
        assertThat(problemOf("  - {name: c, match: {relay: {sub-option: 1}}}").toString())
                .isEqualTo("test.yaml:2: client-classes[0].match.relay: needs one test of equals, prefix, contains, exists, hex");
    }

    @Test
    void badHexAndUnknownKeysInsideAnExpressionNameTheirPath() {
        assertThat(problemOf("  - {name: c, match: {not: {option: {code: 93, hex: \"0:7\"}}}}").toString())
                .isEqualTo("test.yaml:2: client-classes[0].match.not.option.hex: not hex bytes (such as 00:07 or 0x0007): '0:7'");
        assertThat(Configs.problems("client-classes:\n  - {name: c, match: {all: [{option: {code: 93, equal: x}}]}}\n"
                + Configs.MINIMAL_SUBNET).stream().map(Object::toString)).contains(
                "test.yaml:2: client-classes[0].match.all[0].option: needs one test of equals, prefix, contains, exists, hex",
                "test.yaml:2: client-classes[0].match.all[0].option.equal: unknown key; did you mean 'equals'?");
    }

    @Test
    void emptyAnyIsRefused() {
        assertThat(problemOf("  - {name: c, match: {any: []}}").toString())
                .isEqualTo("test.yaml:2: client-classes[0].match.any: needs at least one test in the list");
    }

    @Test
    void nextServerServerHostnameAndBootFileFillTheBootpHeaderFields() {
        ClientClassConfig c = load("""
                client-classes:
                  - name: pxe
                    match: {option: {code: 60, prefix: PXEClient}}
                    next-server: 10.0.0.5
                    server-hostname: boot.example
                    boot-file-name: undionly.kpxe
                """ + Configs.MINIMAL_SUBNET).clientClasses().getFirst();

        assertThat(c.nextServer()).isEqualTo(dev.leasehold.wire.Ipv4Address.parse("10.0.0.5"));
        assertThat(c.serverHostname()).isEqualTo("boot.example");
        assertThat(c.bootFileName()).isEqualTo("undionly.kpxe");
    }

    @Test
    void bootFileLongerThanTheFileFieldIsRefused() {
        assertThat(problemOf("  - {name: c, match: {user-class: x}, boot-file-name: " + "f".repeat(128) + "}").toString())
                .isEqualTo("test.yaml:2: client-classes[0].boot-file-name: must be 1-127 printable ASCII characters"
                        + " without spaces (it fills a 128-byte header field)");
    }
}
