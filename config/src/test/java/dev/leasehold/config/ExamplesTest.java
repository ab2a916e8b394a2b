package dev.leasehold.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The files in examples/ are documentation that must stay true: each one loads cleanly. */
class ExamplesTest {

    static Path examples() {
        // Tests run in the module directory; the examples live at the repository root.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/demo.yaml"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ directory above " + Path.of("").toAbsolutePath());
    }

    static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(examples())) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theThreeExamplesTheReadmePromisesExist() throws IOException {
        assertThat(exampleFiles()).extracting(f -> f.getFileName().toString())
                .contains("small-office.yaml", "relayed-multi-subnet.yaml", "demo.yaml");
    }

    @ParameterizedTest
    @MethodSource("exampleFiles")
    void everyExampleLoadsWithoutProblems(Path file) throws ConfigException {
        assertThat(ConfigLoader.load(file).subnets()).isNotEmpty();
    }

    @Test
    void demoRunsOnAnUnprivilegedLoopbackPortWithShortLeases() throws ConfigException {
        ServerConfig demo = ConfigLoader.load(examples().resolve("demo.yaml"));

        assertThat(demo.listen()).isEqualTo(new ListenAddress(Ipv4Address.parse("127.0.0.1"), 6767));
        assertThat(demo.dataDirectory()).isEqualTo(Path.of("./demo-data"));
        assertThat(demo.timers()).isEqualTo(new LeaseTimers(Duration.ofSeconds(20), Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(15)));
        assertThat(demo.declineProbation()).isEqualTo(Duration.ofSeconds(30));
        SubnetConfig subnet = demo.subnets().getFirst();
        assertThat(subnet.pools()).hasSize(1);
        assertThat(subnet.pools().getFirst().range().size()).isLessThanOrEqualTo(16);
        assertThat(subnet.reservations()).hasSize(1);
    }

    @Test
    void relayedExampleServesSeveralSubnetsWithRelayAgentClasses() throws ConfigException {
        ServerConfig config = ConfigLoader.load(examples().resolve("relayed-multi-subnet.yaml"));

        assertThat(config.subnets()).hasSizeGreaterThan(1);
        assertThat(config.clientClasses()).extracting(ClientClassConfig::match)
                .anySatisfy(m -> assertThat(m).isInstanceOf(ClassMatch.RemoteId.class))
                .anySatisfy(m -> assertThat(m).isInstanceOf(ClassMatch.AllOf.class));
    }

    @Test
    void smallOfficeExampleHasReservationsAndAClass() throws ConfigException {
        ServerConfig config = ConfigLoader.load(examples().resolve("small-office.yaml"));

        assertThat(config.subnets()).hasSize(1);
        assertThat(config.subnets().getFirst().reservations()).isNotEmpty();
        assertThat(config.clientClasses()).isNotEmpty();
    }
}
