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
}
