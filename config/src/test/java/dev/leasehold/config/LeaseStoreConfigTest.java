package dev.leasehold.config;

import static dev.leasehold.config.Configs.load;
import static dev.leasehold.config.Configs.problem;
import static dev.leasehold.config.Configs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lease-store key: the journal by default, or a PostgreSQL database. */
class LeaseStoreConfigTest {

    private static String withTop(String top) {
        return top + "\n" + Configs.MINIMAL_SUBNET;
    }

    @Test
    void withoutTheKeyLeasesGoToTheJournal() {
        assertThat(load(Configs.MINIMAL_SUBNET).leaseStore()).isEqualTo(LeaseStoreConfig.JOURNAL);
        assertThat(load(withTop("lease-store: {type: journal}")).leaseStore()).isEqualTo(LeaseStoreConfig.JOURNAL);
    }

    @Test
    void everyPostgresqlKeyIsRead() {
        LeaseStoreConfig store = load(withTop("""
                lease-store:
                  type: postgresql
                  url: jdbc:postgresql://db1.example.net:5432/leasehold?sslmode=verify-full
                  user: leasehold
                  password-file: /etc/leasehold/db-password
                  pool-size: 8
                  connect-timeout: 500ms
                """)).leaseStore();

        assertThat(store).isEqualTo(new LeaseStoreConfig.Postgresql(
                "jdbc:postgresql://db1.example.net:5432/leasehold?sslmode=verify-full", "leasehold",
                Optional.of(Path.of("/etc/leasehold/db-password")), 8, Duration.ofMillis(500)));
    }

    @Test
    void postgresqlDefaultsToFourConnectionsTwoSecondsAndNoPasswordFile() {
        LeaseStoreConfig store = load(withTop(
                "lease-store: {type: postgresql, url: 'jdbc:postgresql://db/leases', user: dhcp}")).leaseStore();

        assertThat(store).isEqualTo(new LeaseStoreConfig.Postgresql("jdbc:postgresql://db/leases", "dhcp",
                Optional.empty(), 4, Duration.ofSeconds(2)));
    }

    @Test
    void postgresqlWithoutUrlOrUserIsRefusedNamingEach() {
        assertThat(problems(withTop("lease-store: {type: postgresql}"))).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("lease-store.url", "lease-store.user");
    }

    @Test
    void anUnknownTypeIsRefused() {
        ConfigProblem p = problem(withTop("lease-store: {type: mysql}"));
        assertThat(p.path()).isEqualTo("lease-store.type");
        assertThat(p.message()).contains("'mysql' is not one of journal, postgresql");
    }

    @Test
    void aUrlThatIsNotPostgresqlJdbcIsRefused() {
        ConfigProblem p = problem(withTop("lease-store: {type: postgresql, url: 'postgres://db/leases', user: u}"));
        assertThat(p.path()).isEqualTo("lease-store.url");
        assertThat(p.message()).contains("not a PostgreSQL JDBC URL");
    }

    @Test
    void aPasswordInTheUrlIsRefused() {
        ConfigProblem p = problem(withTop(
                "lease-store: {type: postgresql, url: 'jdbc:postgresql://db/l?password=hunter2', user: u}"));
        assertThat(p.path()).isEqualTo("lease-store.url");
        assertThat(p.message()).contains("password-file");
    }

    @Test
    void poolSizeAndConnectTimeoutOutOfRangeAreRefused() {
        assertThat(problems(withTop("""
                lease-store: {type: postgresql, url: 'jdbc:postgresql://db/l', user: u, pool-size: 0,
                              connect-timeout: 100ms}
                """))).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("lease-store.pool-size", "lease-store.connect-timeout");
    }

    @Test
    void postgresqlKeysOnTheJournalAreRefused() {
        ConfigProblem p = problem(withTop("lease-store: {type: journal, url: 'jdbc:postgresql://db/l'}"));
        assertThat(p.path()).isEqualTo("lease-store.url");
        assertThat(p.message()).contains("only for type postgresql");
    }

    @Test
    void aMisspelledKeyIsRefusedWithASuggestion() {
        ConfigProblem p = problem(withTop(
                "lease-store: {type: postgresql, url: 'jdbc:postgresql://db/l', user: u, pool-sise: 3}"));
        assertThat(p.path()).isEqualTo("lease-store.pool-sise");
        assertThat(p.message()).contains("did you mean 'pool-size'");
    }
}
