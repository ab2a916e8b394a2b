package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import dev.leasehold.lease.postgres.SharedPostgres;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code leasehold db ...} and {@code leasehold leases export|import} against a real PostgreSQL. */
@ExtendWith(SharedPostgres.class)
class PostgresCommandsTest {

    @TempDir
    Path dir;

    private Path postgresConfig(ThrowawayPostgres postgres, String database) throws Exception {
        Path file = dir.resolve(database + ".yaml");
        Files.writeString(file, """
                data-directory: %s
                lease-store: {type: postgresql, url: '%s', user: %s}
                subnets: [{id: 7, subnet: 10.0.0.0/16, pools: [{range: 10.0.0.10-10.0.0.250}]}]
                """.formatted(dir.resolve("pg-data"), postgres.jdbcUrl(database), ThrowawayPostgres.USER));
        return file;
    }

    private Path journalConfig(Path data) throws Exception {
        Path file = dir.resolve("journal.yaml");
        Files.writeString(file, """
                data-directory: %s
                subnets: [{id: 7, subnet: 10.0.0.0/16, pools: [{range: 10.0.0.10-10.0.0.250}]}]
                """.formatted(data));
        return file;
    }

    private static Lease lease(int n, LeaseState state) {
        Instant start = Instant.parse("2026-03-01T12:00:00.123456789Z").plusSeconds(n);
        return new Lease(Ipv4Address.parse("10.0.0." + n), new ClientId(new byte[] {1, 2, 0, 0, 0, 0, (byte) n}),
                new HardwareAddress(1, new byte[] {2, 0, 0, 0, 0, (byte) n}), 7, state, start,
                start.plusSeconds(3600), n % 2 == 0 ? "host-" + n : "");
    }

    @Test
    void dbInitCreatesTheSchemaOnceAndStatusTellsTheVersion(ThrowawayPostgres postgres) throws Exception {
        Path config = postgresConfig(postgres, postgres.createDatabase("cli_db"));

        Console.Captured empty = Console.capture(() -> Main.run("db", "status", "-c", config.toString()));
        assertThat(empty.code()).isEqualTo(DbCommand.PENDING);
        assertThat(empty.out()).contains("schema version: none").contains("pending migrations: 1 lease table");

        Console.Captured init = Console.capture(() -> Main.run("db", "init", "-c", config.toString()));
        assertThat(init.code()).isZero();
        assertThat(init.out()).contains("schema version: 1").contains("pending migrations: none");

        Console.Captured again = Console.capture(() -> Main.run("db", "init", "-c", config.toString()));
        assertThat(again.code()).isEqualTo(DbCommand.DATABASE_FAILED);
        assertThat(again.err()).contains("already has the lease schema").contains("leasehold db upgrade");

        assertThat(Console.capture(() -> Main.run("db", "upgrade", "-c", config.toString())).code()).isZero();
        assertThat(Console.capture(() -> Main.run("db", "status", "-c", config.toString())).code()).isZero();
    }

    @Test
    void dbOnAJournalConfigurationSaysWhyNot() throws Exception {
        Console.Captured run = Console.capture(() -> Main.run("db", "status", "-c",
                journalConfig(dir.resolve("data")).toString()));
        assertThat(run.code()).isEqualTo(DbCommand.BAD_CONFIG);
        assertThat(run.err()).contains("lease-store is the journal");
    }

    @Test
    void dbAgainstAnUnreachableDatabaseFailsWithTheReason() throws Exception {
        Path file = dir.resolve("nowhere.yaml");
        Files.writeString(file, """
                lease-store: {type: postgresql, url: 'jdbc:postgresql://127.0.0.1:1/none', user: u}
                subnets: [{id: 7, subnet: 10.0.0.0/16}]
                """);
        Console.Captured run = Console.capture(() -> Main.run("db", "status", "-c", file.toString()));
        assertThat(run.code()).isEqualTo(DbCommand.DATABASE_FAILED);
        assertThat(run.err()).contains("cannot read the lease database's schema version");
    }

    @Test
    void leasesMoveFromTheJournalToPostgresqlAndBackExactly(ThrowawayPostgres postgres) throws Exception {
        Path data = dir.resolve("data");
        List<Lease> leases = List.of(lease(1, LeaseState.ACTIVE), lease(2, LeaseState.RELEASED),
                lease(3, LeaseState.EXPIRED), lease(4, LeaseState.DECLINED));
        try (JournalLeaseStore journal = JournalLeaseStore.open(data, JournalOptions.of(DurabilityPolicy.BATCH))) {
            for (Lease l : leases) {
                journal.put(l, l.start()).orTimeout(10, TimeUnit.SECONDS).join();
            }
        }
        Path file = dir.resolve("leases.jsonl");
        Path pgConfig = postgresConfig(postgres, postgres.createDatabase("cli_move"));

        Console.Captured export = Console.capture(() -> Main.run("leases", "export", "-c",
                journalConfig(data).toString(), "-o", file.toString()));
        assertThat(export.code()).isZero();
        assertThat(export.err()).contains("exported 4 lease(s)");
        Console.Captured imported = Console.capture(() -> Main.run("leases", "import", "-c", pgConfig.toString(),
                "-i", file.toString()));
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.err()).contains("imported 4 lease(s); 0 conflict(s), 0 failed");

        Console.Captured back = Console.capture(() -> Main.run("leases", "export", "-c", pgConfig.toString()));
        assertThat(back.code()).isZero();
        assertThat(new HashSet<>(back.out().lines().map(LeaseFile::parse).toList())).isEqualTo(new HashSet<>(leases));
    }

    @Test
    void importRefusesABadLineBeforeTouchingTheStore(ThrowawayPostgres postgres) throws Exception {
        Path pgConfig = postgresConfig(postgres, postgres.createDatabase("cli_bad"));
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, LeaseFile.line(lease(1, LeaseState.ACTIVE)) + "\n"
                + LeaseFile.line(lease(2, LeaseState.ACTIVE)).replace("\"active\"", "\"leased\"") + "\n");

        Console.Captured run = Console.capture(() -> Main.run("leases", "import", "-c", pgConfig.toString(),
                "-i", file.toString()));
        assertThat(run.code()).isEqualTo(LeaseTransferCommand.BAD_INPUT);
        assertThat(run.err()).contains("bad.jsonl:2: state: 'leased' is not active").contains("nothing imported");
        assertThat(postgres.psql("cli_bad", "SELECT count(*) FROM pg_tables WHERE tablename = 'lease'").strip())
                .as("the store was not even opened").isEqualTo("0");
    }

    @Test
    void importReportsAnAddressAnotherClientHolds(ThrowawayPostgres postgres) throws Exception {
        Path pgConfig = postgresConfig(postgres, postgres.createDatabase("cli_conflict"));
        Instant now = Instant.now();
        Lease holder = new Lease(Ipv4Address.parse("10.0.0.9"), new ClientId(new byte[] {1, 9}),
                new HardwareAddress(1, new byte[] {9}), 7, LeaseState.ACTIVE, now, now.plusSeconds(3600), "");
        Lease other = new Lease(holder.address(), new ClientId(new byte[] {1, 8}), new HardwareAddress(1, new byte[] {8}),
                7, LeaseState.ACTIVE, now, now.plusSeconds(3600), "");
        Path first = dir.resolve("first.jsonl");
        Files.writeString(first, LeaseFile.line(holder) + "\n");
        Path second = dir.resolve("second.jsonl");
        Files.writeString(second, LeaseFile.line(other) + "\n");

        assertThat(Console.capture(() -> Main.run("leases", "import", "-c", pgConfig.toString(), "-i",
                first.toString())).code()).isZero();
        Console.Captured run = Console.capture(() -> Main.run("leases", "import", "-c", pgConfig.toString(), "-i",
                second.toString()));
        assertThat(run.code()).isEqualTo(LeaseTransferCommand.FAILED);
        assertThat(run.err()).contains("conflict: 10.0.0.9 is held by").contains("0 lease(s); 1 conflict(s)");
    }
}
