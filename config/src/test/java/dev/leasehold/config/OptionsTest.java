package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static dev.leasehold.config.Configs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static List<OptionSetting> topLevel(String options) {
        return load("options:\n" + options + "\n" + Configs.MINIMAL_SUBNET).options();
    }

    private static ConfigProblem problemIn(String options) {
        return problem("options:\n" + options + "\n" + Configs.MINIMAL_SUBNET);
    }

    @Test
    void optionByNameWithOneAddressIsEncoded() {
        // routers (3): one IPv4 address, 4 bytes
        assertThat(topLevel("  routers: 10.0.0.1")).containsExactly(
                new OptionSetting(3, "routers", new byte[] {10, 0, 0, 1}, false));
    }

    @Test
    void yamlListAndCommaSeparatedTextEncodeAlike() {
        byte[] twoServers = {10, 0, 0, 53, /* second */ 10, 0, 0, 54};
        assertThat(topLevel("  domain-name-servers: [10.0.0.53, 10.0.0.54]").getFirst().value()).isEqualTo(twoServers);
        assertThat(topLevel("  domain-name-servers: \"10.0.0.53, 10.0.0.54\"").getFirst().value()).isEqualTo(twoServers);
    }

    @Test
    void numbersAndBooleansAreReadAsWritten() {
        assertThat(topLevel("  interface-mtu: 1500\n  ip-forwarding: false")).containsExactly(
                // interface-mtu (26): uint16 1500 = 0x05DC
                new OptionSetting(26, "interface-mtu", new byte[] {0x05, (byte) 0xDC}, false),
                // ip-forwarding (19): one byte, 0 = false
                new OptionSetting(19, "ip-forwarding", new byte[] {0}, false));
    }

    @Test
    void standardOptionMayBeGivenByCode() {
        assertThat(topLevel("  6: 10.0.0.53")).containsExactly(
                new OptionSetting(6, "domain-name-servers", new byte[] {10, 0, 0, 53}, false));
    }

    @Test
    void longFormSetsAlwaysSend() {
        assertThat(topLevel("  ntp-servers: {value: 10.0.0.123, always-send: true}")).containsExactly(
                new OptionSetting(42, "ntp-servers", new byte[] {10, 0, 0, 123}, true));
    }

    @Test
    void siteOptionNeedsCodeAndTypeAndKeepsItsLabel() {
        assertThat(topLevel("  wpad: {code: 252, type: string, value: \"http://wpad/wpad.dat\"}")).containsExactly(
                new OptionSetting(252, "wpad", "http://wpad/wpad.dat".getBytes(StandardCharsets.UTF_8), false));
    }

    @Test
    void siteOptionMayBeKeyedByItsCode() {
        assertThat(topLevel("  252: {type: string, value: \"http://wpad/wpad.dat\"}").getFirst().code()).isEqualTo(252);
    }

    @Test
    void siteOptionWithoutTypeIsRefused() {
        assertThat(problemIn("  wpad: {code: 252, value: x}").message()).startsWith(
                "option 252 has no standard definition, so its type is required (one of ipv4-address,");
    }

    @Test
    void siteOptionCodeWithoutTheLongFormIsRefused() {
        assertThat(problemIn("  252: http://wpad/wpad.dat").message()).isEqualTo(
                "option 252 has no standard definition; write it as 252: {type: ..., value: ...}");
    }

    @Test
    void typeContradictingTheStandardDefinitionIsRefused() {
        assertThat(problemIn("  routers: {type: string, value: 10.0.0.1}").toString()).isEqualTo(
                "test.yaml:2: options.routers.type: option 3 (routers) has type ipv4-address-list, not string");
    }

    @Test
    void labelThatIsAnotherOptionsStandardNameIsRefused() {
        assertThat(problemIn("  routers: {code: 252, type: string, value: x}").message()).isEqualTo(
                "'routers' is the standard name of option 3, not of option 252; choose another label");
    }

    @Test
    void unknownTypeNameIsRefused() {
        assertThat(problemIn("  wpad: {code: 252, type: url, value: x}").message()).startsWith("'url' is not one of");
    }

    @Test
    void unknownOptionNameIsRefusedWithASuggestion() {
        assertThat(problemIn("  domain-name-server: 10.0.0.53").toString()).isEqualTo(
                "test.yaml:2: options.domain-name-server: unknown option name 'domain-name-server' (did you mean"
                        + " 'domain-name-servers'?); a site option needs {code: N, type: T, value: V}");
    }

    @Test
    void valueOfTheWrongTypeIsRefused() {
        ConfigProblem problem = problemIn("  routers: [10.0.0.1, gateway.example.net]");
        assertThat(problem.path()).isEqualTo("options.routers");
        assertThat(problem.message()).startsWith("routers (option 3, ipv4-address-list): ").contains("gateway.example.net");
    }

    @Test
    void numberOutOfRangeForItsTypeIsRefused() {
        assertThat(problemIn("  interface-mtu: 70000").message()).startsWith("interface-mtu (option 26, uint16): ")
                .contains("70000");
    }

    @Test
    void listForASingleValuedOptionIsRefused() {
        assertThat(problemIn("  domain-name: [a.example, b.example]").message()).isEqualTo(
                "domain-name (option 15) takes one domain-name value, not a list");
    }

    @Test
    void optionSetTwiceUnderNameAndCodeIsRefused() {
        assertThat(problemIn("  routers: 10.0.0.1\n  3: 10.0.0.2").toString()).isEqualTo("test.yaml:3: options.3: option 3 is already set here as 'routers'");
    }

    @Test
    void optionsTheServerSetsItselfAreRefused() {
        assertThat(problems("options:\n  dhcp-lease-time: 600\n  subnet-mask: 255.255.255.0\n  54: 10.0.0.1\n"
                + Configs.MINIMAL_SUBNET)).extracting(ConfigProblem::message).containsExactly(
                "option 51 cannot be configured: set valid-lifetime instead",
                "option 1 cannot be configured: the server sends it from the subnet's prefix",
                "option 54 cannot be configured: the server sends its own address");
    }

    @Test
    void optionCodeOutOfRangeIsRefused() {
        assertThat(problemIn("  255: {type: string, value: x}").message()).isEqualTo("option codes are 1-254");
        assertThat(problemIn("  x: {code: 0, type: string, value: x}").message()).isEqualTo(
                "0 is out of range; expected 1-254");
    }

    @Test
    void longFormWithoutValueIsRefused() {
        assertThat(problemIn("  routers: {always-send: true}").toString()).isEqualTo(
                "test.yaml:2: options.routers.value: required, but missing");
    }

    @Test
    void unknownKeyInTheLongFormIsRefused() {
        assertThat(problemIn("  routers: {value: 10.0.0.1, always_send: true}").message()).isEqualTo(
                "unknown key; did you mean 'always-send'?");
    }

    @Test
    void optionsAtEveryLevelAreChecked() {
        assertThat(problems("""
                client-classes:
                  - {name: a, match: {user-class: x}, options: {tftp-server: 10.0.0.5}}
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    options: {routers: 10.0.0}
                    reservations:
                      - {hw-address: "aa:bb:cc:dd:ee:ff", ip-address: 10.0.0.9, options: {interface-mtu: big}}
                """)).extracting(ConfigProblem::path).containsExactly(
                "client-classes[0].options.tftp-server", "subnets[0].options.routers",
                "subnets[0].reservations[0].options.interface-mtu");
    }
}
