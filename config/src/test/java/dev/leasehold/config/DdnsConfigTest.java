package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.DdnsSettings.ConflictResolution;
import dev.leasehold.config.DdnsSettings.ReplaceClientName;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dynamic DNS keys: Kea's ddns-* at the top level and per subnet, and the dhcp-ddns section. */
class DdnsConfigTest {

    private static final String SECTION = """
            dhcp-ddns:
              tsig-keys:
                - {name: dhcp-key, algorithm: HMAC-SHA256, secret-file: /etc/leasehold/dhcp-key.secret}
              forward-ddns:
                ddns-domains:
                  - name: example.com.
                    key-name: dhcp-key
                    dns-servers: [{ip-address: 127.0.0.1, port: 5353}]
              reverse-ddns:
                ddns-domains:
                  - {name: 0.10.in-addr.arpa., key-name: dhcp-key, dns-servers: [{ip-address: 127.0.0.1}]}
            """;

    @Test
    void withoutTheKeysNothingIsUpdated() {
        ServerConfig config = load(Configs.MINIMAL_SUBNET);

        assertThat(config.ddns()).isEqualTo(DdnsConfig.OFF);
        assertThat(config.subnets().getFirst().ddns()).isEqualTo(DdnsSettings.DEFAULTS);
        assertThat(config.subnets().getFirst().ddns().sendUpdates()).isFalse();
    }

    @Test
    void everyServerKeyIsRead() {
        DdnsConfig ddns = load(SECTION + Configs.MINIMAL_SUBNET).ddns();

        assertThat(ddns.enableUpdates()).isTrue();
        assertThat(ddns.tsigKeys()).containsExactly(
                new DdnsConfig.TsigKey("dhcp-key", "hmac-sha256", Path.of("/etc/leasehold/dhcp-key.secret")));
        assertThat(ddns.forwardDomains()).containsExactly(new DdnsConfig.Domain("example.com", Optional.of("dhcp-key"),
                List.of(new DdnsConfig.DnsServer(Ipv4Address.parse("127.0.0.1"), 5353))));
        assertThat(ddns.reverseDomains().getFirst().name()).isEqualTo("0.10.in-addr.arpa");
        assertThat(ddns.reverseDomains().getFirst().servers().getFirst().port()).isEqualTo(53);
    }

    @Test
    void subnetKeysOverrideTopLevelKeysWhichOverrideKeasDefaults() {
        ServerConfig config = load(SECTION + """
                ddns-qualifying-suffix: example.com
                ddns-replace-client-name: when-not-present
                ddns-ttl: 5m
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    ddns-qualifying-suffix: lab.example.com.
                    ddns-conflict-resolution-mode: no-check-with-dhcid
                    ddns-update-on-renew: true
                    ddns-reverse-updates: false
                  - id: 2
                    subnet: 10.0.1.0/24
                    ddns-send-updates: false
                """);

        DdnsSettings first = config.subnets().get(0).ddns();
        DdnsSettings second = config.subnets().get(1).ddns();
        assertThat(first.qualifyingSuffix()).isEqualTo("lab.example.com");
        assertThat(first.replaceClientName()).isEqualTo(ReplaceClientName.WHEN_NOT_PRESENT);
        assertThat(first.conflictResolution()).isEqualTo(ConflictResolution.NO_CHECK_WITH_DHCID);
        assertThat(first.updateOnRenew()).isTrue();
        assertThat(first.reverseUpdates()).isFalse();
        assertThat(first.forwardUpdates()).isTrue();
        assertThat(first.ttl()).contains(Duration.ofMinutes(5));
        assertThat(first.sendUpdates()).isTrue();
        assertThat(second.sendUpdates()).isFalse();
        assertThat(second.qualifyingSuffix()).isEqualTo("example.com");
        assertThat(second.conflictResolution()).isEqualTo(ConflictResolution.CHECK_WITH_DHCID);
    }

    @Test
    void aDomainNamingAnUndefinedKeyIsRefused() {
        assertThat(problem(SECTION.replace("key-name: dhcp-key\n", "key-name: other\n") + Configs.MINIMAL_SUBNET)
                .toString()).contains("dhcp-ddns.forward-ddns").contains("names the key 'other'");
    }

    @Test
    void anUnknownAlgorithmIsRefusedNamingTheSupportedOnes() {
        assertThat(problem(SECTION.replace("HMAC-SHA256", "hmac-sha3") + Configs.MINIMAL_SUBNET).toString())
                .contains("dhcp-ddns.tsig-keys[0].algorithm").contains("hmac-sha512");
    }

    @Test
    void aReverseZoneOutsideInAddrArpaIsRefused() {
        assertThat(problem(SECTION.replace("0.10.in-addr.arpa.", "example.net.") + Configs.MINIMAL_SUBNET).path())
                .isEqualTo("dhcp-ddns.reverse-ddns.ddns-domains[0].name");
    }

    @Test
    void anUnknownConflictModeIsRefusedListingKeasNames() {
        assertThat(problem("ddns-conflict-resolution-mode: check\n" + Configs.MINIMAL_SUBNET).toString())
                .contains("check-with-dhcid, no-check-with-dhcid, check-exists-with-dhcid, no-check-without-dhcid");
    }

    @Test
    void aReplacementThatIsItselfInvalidInANameIsRefused() {
        assertThat(problem("hostname-char-replacement: _\n" + Configs.MINIMAL_SUBNET).path())
                .isEqualTo("hostname-char-replacement");
    }

    @Test
    void aSectionWithoutZonesIsRefused() {
        assertThat(problem("dhcp-ddns: {}\n" + Configs.MINIMAL_SUBNET).toString()).contains("names no zone");
    }

    @Test
    void aSectionThatDisablesUpdatesTurnsThemOffEverywhere() {
        ServerConfig config = load("dhcp-ddns: {enable-updates: false}\n" + Configs.MINIMAL_SUBNET);

        assertThat(config.subnets().getFirst().ddns().sendUpdates()).isFalse();
    }
}
