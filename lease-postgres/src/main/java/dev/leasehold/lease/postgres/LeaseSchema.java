package dev.leasehold.lease.postgres;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * The lease database's schema, versioned by Flyway: the migrations are plain SQL files under
 * {@code db/leasehold/postgresql} in this jar (the same text docs/postgresql.md lists), and
 * Flyway's history table {@code leasehold_schema_history} records which ran. Flyway takes a
 * PostgreSQL advisory lock while it migrates, so servers that start together upgrade once.
 */
public final class LeaseSchema {

    static final String HISTORY_TABLE = "leasehold_schema_history";
    private static final String LOCATION = "classpath:db/leasehold/postgresql";

    private final Flyway flyway;

    private LeaseSchema(Flyway flyway) {
        this.flyway = flyway;
    }

    /** The schema of the database {@code config} names; connects only when asked something. */
    public static LeaseSchema of(PostgresStoreConfig config) throws IOException {
        Flyway flyway = Flyway.configure()
                .dataSource(config.url(), config.user(), config.password().orElse(null))
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .load();
        return new LeaseSchema(flyway);
    }

    /**
     * Where the database stands.
     *
     * @param current the version applied, empty for a database without the schema
     * @param latest the newest version this build knows
     * @param pending the versions this build would apply
     */
    public record Status(Optional<String> current, String latest, List<String> pending) {

        public boolean upToDate() {
            return pending.isEmpty() && current.isPresent();
        }
    }

    public Status status() throws IOException {
        try {
            MigrationInfoService info = flyway.info();
            Optional<String> current = Optional.ofNullable(info.current()).map(m -> m.getVersion().getVersion());
            List<String> pending = Arrays.stream(info.pending()).map(LeaseSchema::describe).toList();
            MigrationInfo[] all = info.all();
            String latest = all.length == 0 ? "none" : all[all.length - 1].getVersion().getVersion();
            return new Status(current, latest, pending);
        } catch (FlywayException e) {
            throw new IOException("cannot read the lease database's schema version: " + e.getMessage(), e);
        }
    }

    /**
     * Creates the schema in a database that has none; refuses a database that already has it
     * (that is {@link #upgrade()}'s job), so that {@code db init} against the wrong database
     * says so instead of doing nothing.
     */
    public Status init() throws IOException {
        Status before = status();
        if (before.current().isPresent()) {
            throw new IOException("the database already has the lease schema (version " + before.current().get()
                    + "); use 'leasehold db upgrade' to bring it up to " + before.latest());
        }
        return upgrade();
    }

    /** Applies every pending migration, in order; a database already up to date is left alone. */
    public Status upgrade() throws IOException {
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            throw new IOException("cannot bring the lease database's schema up to date: " + e.getMessage(), e);
        }
        return status();
    }

    private static String describe(MigrationInfo migration) {
        return migration.getVersion().getVersion() + " " + migration.getDescription();
    }
}
