package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static dev.leasehold.config.Configs.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String FULL = """
            listen: {address: 127.0.0.1, port: 6767}
            interfaces: [eth1]
            data-directory: /srv/leases
            durability: always
            authoritative: true
            valid-lifetime: 1h
            min-lifetime: 10m
            max-lifetime: 2h
            renew-timer: 500
            rebind-timer: 540
            offer-hold: 15s
            decline-probation: 1d
            reclaim-interval: 500ms
            allocation: iterative
            options: {domain-name-servers: [10.0.0.53, 10.0.0.54], domain-name: example.net}
            client-classes:
              - name: voip
                match: {vendor-class-prefix: Polycom}
                options: {tftp-server-name: tftp.example.net}
            subnets:
              - id: 7
                subnet: 10.0.0.0/24
                interface: eth1
                relay-addresses: [192.168.5.1]
                pools:
                  - {range: 10.0.0.100-10.0.0.199}
                  - {start: 10.0.0.200, end: 10.0.0.220, client-classes: [voip]}
                exclusions: [10.0.0.150, 10.0.0.160-10.0.0.165]
                options: {routers: 10.0.0.1}
                rapid-commit: true
                valid-lifetime: 600
                reservations:
                  - {hw-address: "aa:bb:cc:dd:ee:ff", ip-address: 10.0.0.10, hostname: printer}
                  - {client-id: "01:aa:bb:cc:dd:ee:01", ip-address: 10.0.0.11, options: {host-name: scanner}}
            """;

    @Test
    void everyKeyReachesTheModel() {
        ServerConfig config = load(FULL);

        assertThat(config.listen()).isEqualTo(new ListenAddress(Ipv4Address.parse("127.0.0.1"), 6767));
        assertThat(config.interfaces()).containsExactly("eth1");
        assertThat(config.dataDirectory()).isEqualTo(Path.of("/srv/leases"));
        assertThat(config.durability()).isEqualTo(DurabilityPolicy.ALWAYS);
        assertThat(config.authoritative()).isTrue();
        assertThat(config.timers()).isEqualTo(new LeaseTimers(Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofHours(2), Duration.ofSeconds(500), Duration.ofSeconds(540)));
        assertThat(config.offerHold()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.declineProbation()).isEqualTo(Duration.ofDays(1));
        assertThat(config.reclaimInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.allocation()).isEqualTo(AllocationStrategy.ITERATIVE);
        assertThat(config.options()).containsExactly(
                // 6, two addresses of four bytes each
                new OptionSetting(6, "domain-name-servers", new byte[] {10, 0, 0, 53, 10, 0, 0, 54}, false),
                new OptionSetting(15, "domain-name", "example.net".getBytes(StandardCharsets.US_ASCII), false));
        assertThat(config.clientClasses()).containsExactly(new ClientClassConfig("voip",
                new ClassMatch.VendorClassPrefix("Polycom".getBytes(StandardCharsets.UTF_8)),
                List.of(new OptionSetting(66, "tftp-server-name", "tftp.example.net".getBytes(StandardCharsets.UTF_8), false))));

        SubnetConfig subnet = config.subnets().getFirst();
        assertThat(subnet.id()).isEqualTo(7);
        assertThat(subnet.prefix()).isEqualTo(Prefix.parse("10.0.0.0/24"));
        assertThat(subnet.interfaceName()).isEqualTo("eth1");
        assertThat(subnet.relayAddresses()).containsExactly(Ipv4Address.parse("192.168.5.1"));
        assertThat(subnet.pools()).containsExactly(
                new PoolConfig(range("10.0.0.100", "10.0.0.199"), List.of()),
                new PoolConfig(range("10.0.0.200", "10.0.0.220"), List.of("voip")));
        assertThat(subnet.exclusions()).containsExactly(range("10.0.0.150", "10.0.0.150"),
                range("10.0.0.160", "10.0.0.165"));
        assertThat(subnet.options()).containsExactly(new OptionSetting(3, "routers", new byte[] {10, 0, 0, 1}, false));
        assertThat(subnet.rapidCommit()).isTrue();
        // valid-lifetime overridden; the others inherited from the top level
        assertThat(subnet.timers()).isEqualTo(new LeaseTimers(Duration.ofMinutes(10), Duration.ofMinutes(10),
                Duration.ofHours(2), Duration.ofSeconds(500), Duration.ofSeconds(540)));
        assertThat(subnet.reservations()).containsExactly(
                new Reservation(Optional.of(HardwareAddress.parseEthernet("aa:bb:cc:dd:ee:ff")), Optional.empty(),
                        Ipv4Address.parse("10.0.0.10"), "printer", List.of()),
                new Reservation(Optional.empty(), Optional.of(ClientId.parse("01:aa:bb:cc:dd:ee:01")),
                        Ipv4Address.parse("10.0.0.11"), "",
                        List.of(new OptionSetting(12, "host-name", "scanner".getBytes(StandardCharsets.UTF_8), false))));
    }

    @Test
    void absentKeysTakeTheDocumentedDefaults() {
        ServerConfig config = load(Configs.MINIMAL_SUBNET);

        assertThat(config.listen()).isEqualTo(new ListenAddress(Ipv4Address.ANY, 67));
        assertThat(config.interfaces()).isEmpty();
        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/leasehold"));
        assertThat(config.durability()).isEqualTo(DurabilityPolicy.BATCH);
        assertThat(config.groupWindow()).isEqualTo(Duration.ofMillis(1));
        assertThat(config.authoritative()).isFalse();
        assertThat(config.timers()).isEqualTo(new LeaseTimers(Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofHours(1), null, null));
        assertThat(config.offerHold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.declineProbation()).isEqualTo(Duration.ofDays(1));
        assertThat(config.reclaimInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.allocation()).isEqualTo(AllocationStrategy.RANDOM);
        assertThat(config.options()).isEmpty();
        assertThat(config.clientClasses()).isEmpty();
        SubnetConfig subnet = config.subnets().getFirst();
        assertThat(subnet.interfaceName()).isEmpty();
        assertThat(subnet.relayAddresses()).isEmpty();
        assertThat(subnet.exclusions()).isEmpty();
        assertThat(subnet.reservations()).isEmpty();
        assertThat(subnet.rapidCommit()).isFalse();
        assertThat(subnet.timers()).isEqualTo(config.timers());
    }

    @Test
    void jsonInputLoadsLikeYaml() {
        String json = """
                {
                  "listen": {"address": "127.0.0.1", "port": 6767},
                  "valid-lifetime": "20s",
                  "subnets": [
                    {"id": 1, "subnet": "10.0.0.0/24",
                     "pools": [{"range": "10.0.0.100-10.0.0.199"}],
                     "options": {"routers": "10.0.0.1", "domain-name-servers": ["10.0.0.53"]}}
                  ]
                }
                """;
        ServerConfig config = load(json);

        assertThat(config.listen().port()).isEqualTo(6767);
        assertThat(config.timers().validLifetime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.subnets().getFirst().options()).extracting(OptionSetting::name)
                .containsExactly("routers", "domain-name-servers");
    }

    @Test
    void jsonProblemsCarryTheirLines() {
        String json = """
                {
                  "listen": {"port": 70000},
                  "subnets": [
                    {"id": 1, "subnet": "10.0.0.0/24",
                     "pools": [{"range": "10.0.0.100-10.0.1.199"}]}
                  ]
                }
                """;
        assertThat(problems(json)).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:2: listen.port: 70000 is out of range; expected 0-65535",
                "test.yaml:5: subnets[0].pools[0].range: the pool 10.0.0.100-10.0.1.199 is not inside the subnet 10.0.0.0/24");
    }

    @Test
    void jsonSyntaxErrorNamesItsLine() {
        ConfigProblem problem = problem("{\n  \"subnets\": [\n    {\"id\": 1,}\n  ]\n}\n");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.message()).startsWith("syntax error:");
    }

    @Test
    void yamlSyntaxErrorNamesItsLine() {
        ConfigProblem problem = problem("""
                listen: {address: 10.0.0.1
                subnets: []
                """);
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.message()).startsWith("syntax error:").doesNotContain("\n");
    }

    @Test
    void groupWindowTakesADurationOrZeroUpToAHundredMilliseconds() {
        assertThat(load("group-window: 5ms\n" + Configs.MINIMAL_SUBNET).groupWindow()).isEqualTo(Duration.ofMillis(5));
        assertThat(load("group-window: 250us\n" + Configs.MINIMAL_SUBNET).groupWindow()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(load("group-window: 0\n" + Configs.MINIMAL_SUBNET).groupWindow()).isZero();
        assertThat(load("group-window: 0ms\n" + Configs.MINIMAL_SUBNET).groupWindow()).isZero();
        assertThat(problems("group-window: 200ms\n" + Configs.MINIMAL_SUBNET)).extracting(ConfigProblem::toString)
                .containsExactly("test.yaml:1: group-window: must be at most 100ms (every acknowledgement under load"
                        + " may wait that long), or 0 to never wait");
        assertThat(problems("group-window: soon\n" + Configs.MINIMAL_SUBNET)).extracting(ConfigProblem::toString)
                .singleElement().asString().startsWith("test.yaml:1: group-window: 'soon' is not a duration");
    }

    @Test
    void everyProblemInOneFileIsReportedWithItsLineAndPath() {
        String text = """
                listen: {address: 10.0.0.300, port: 67}
                durability: sometimes
                valid-lifetime: 1x
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pools:
                      - {range: 10.0.0.100-10.0.0.199}
                      - {start: 10.0.0.200, end: 10.0.1.10}
                  - id: 1
                    subnet: 10.0.0.128/25
                    options: {routers: 10.0.0.1, dns-servers: 10.0.0.2}
                """;
        assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
                "test.yaml:1: listen.address: not an IPv4 address: '10.0.0.300'",
                "test.yaml:2: durability: 'sometimes' is not one of always, batch, none",
                "test.yaml:3: valid-lifetime: '1x' is not a duration; write seconds (3600) or a number with a unit:"
                        + " 500ms, 90s, 30m, 1h, 1d, 1w, or a sum like 1h30m",
                "test.yaml:9: subnets[0].pools[1].end: 10.0.1.10 is not inside the subnet 10.0.0.0/24",
                "test.yaml:10: subnets[1].id: subnet id 1 is already used by subnets[0]; leases are filed under the id,"
                        + " so it must be unique",
                "test.yaml:11: subnets[1].subnet: 10.0.0.128/25 overlaps 10.0.0.0/24 of subnets[0]",
                "test.yaml:12: subnets[1].options.dns-servers: unknown option name 'dns-servers'"
                        + " (did you mean 'domain-name-servers'?); a site option needs {code: N, type: T, value: V}");
    }

    @Test
    void problemRendersAsFileLinePathMessage() {
        assertThat(new ConfigProblem("a.yaml", 12, "subnets[1].pools[0].end", "bad").toString())
                .isEqualTo("a.yaml:12: subnets[1].pools[0].end: bad");
        assertThat(new ConfigProblem("a.yaml", 0, "", "cannot read the file: no such file").toString())
                .isEqualTo("a.yaml: cannot read the file: no such file");
    }

    @Test
    void exceptionMessageListsOneProblemPerLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("listen: 5\nauthoritative: maybe\n", "x.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        x.yaml:1: listen: expected a mapping of keys, found the number 5
                        x.yaml:1: subnets: required, but missing: at least one subnet must be served
                        x.yaml:2: authoritative: expected true or false, found the text 'maybe'""");
    }

    @Test
    void unknownKeyIsRefusedWithTheNearestKnownKey() {
        ConfigProblem problem = problem(Configs.MINIMAL_SUBNET + "valid-liftime: 600\n");
        assertThat(problem.toString()).isEqualTo("test.yaml:5: valid-liftime: unknown key; did you mean 'valid-lifetime'?");
    }

    @Test
    void unknownKeyInsideASubnetIsRefused() {
        ConfigProblem problem = problem("""
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    pool: [{range: 10.0.0.100-10.0.0.199}]
                """);
        assertThat(problem.toString()).isEqualTo("test.yaml:4: subnets[0].pool: unknown key; did you mean 'pools'?");
    }

    @Test
    void duplicateKeyIsRefused() {
        ConfigProblem problem = problem(Configs.MINIMAL_SUBNET + "authoritative: true\nauthoritative: false\n");
        assertThat(problem.toString()).isEqualTo("test.yaml:6: authoritative: duplicate key; it is already set on line 5");
    }

    @Test
    void yamlAliasIsRefusedRatherThanReadAsItsName() {
        ConfigProblem problem = problem("""
                data-directory: &dir /srv/leases
                subnets:
                  - id: 1
                    subnet: 10.0.0.0/24
                    interface: *dir
                """);
        assertThat(problem.toString()).startsWith("test.yaml:5: subnets[0].interface: YAML aliases");
    }

    @Test
    void emptyFileIsRefused() {
        assertThat(problem("# nothing but a comment\n").message()).startsWith("the file is empty");
    }

    @Test
    void topLevelListIsRefused() {
        assertThat(problem("- 1\n- 2\n").message()).isEqualTo("expected a mapping of keys, found a list");
    }

    @Test
    void secondYamlDocumentIsRefused() {
        ConfigProblem problem = problem(Configs.MINIMAL_SUBNET + "---\nauthoritative: true\n");
        assertThat(problem.message()).contains("more than one document");
    }

    @Test
    void missingSubnetsAreRefused() {
        assertThat(problem("authoritative: true\n").toString())
                .isEqualTo("test.yaml:1: subnets: required, but missing: at least one subnet must be served");
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leasehold.yaml");
        Files.writeString(file, Configs.MINIMAL_SUBNET);
        assertThat(ConfigLoader.load(file).subnets()).hasSize(1);
    }

    @Test
    void loadReportsAMissingFileAsAProblemWithoutALine(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot read the file: no such file");
    }

    @Test
    void loadNamesProblemsAfterTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "authoritative: 1\n" + Configs.MINIMAL_SUBNET);
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":1: authoritative: expected true or false, found the number 1");
    }

    @Test
    void loadIgnoresAByteOrderMark(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.writeString(file, "\uFEFF" + Configs.MINIMAL_SUBNET);
        assertThat(ConfigLoader.load(file).subnets()).hasSize(1);
    }

    @Test
    void loadRefusesBytesThatAreNotUtf8(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("the file is not UTF-8 text");
    }

    private static AddressRange range(String first, String last) {
        return new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last));
    }
}
