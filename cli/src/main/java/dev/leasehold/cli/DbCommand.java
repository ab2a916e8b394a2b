package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.LeaseStoreConfig;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.postgres.LeaseSchema;
import dev.leasehold.server.ServerComposition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code leasehold db init|upgrade|status --config FILE}: the schema of the PostgreSQL lease
 * database that {@code lease-store} names (docs/postgresql.md). A server also upgrades the schema
 * when it starts; these let an operator do it ahead, or with a role that may change the schema
 * while the servers' role may not.
 */
@Command(name = "db", description = "Create, upgrade or inspect the PostgreSQL lease database's schema.",
        subcommands = {DbCommand.Init.class, DbCommand.Upgrade.class, DbCommand.Status.class})
final class DbCommand {

    /** Exit code of a database that cannot be reached or refuses the change. */
    static final int DATABASE_FAILED = 1;
    /** Exit code of a bad configuration, or one whose lease store is not PostgreSQL. */
    static final int BAD_CONFIG = 2;
    /** Exit code of {@code status} when migrations are pending. */
    static final int PENDING = 3;

    abstract static class SchemaCommand implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "the server's configuration file; its lease-store must be postgresql")
        Path config;

        PrintStream out = System.out;
        PrintStream err = System.err;

        abstract int run(LeaseSchema schema) throws IOException;

        @Override
        public Integer call() {
            LeaseStoreConfig.Postgresql postgresql;
            try {
                ServerConfig loaded = ConfigLoader.load(config);
                if (!(loaded.leaseStore() instanceof LeaseStoreConfig.Postgresql p)) {
                    err.println(config + ": lease-store is the journal; 'leasehold db' works on a PostgreSQL"
                            + " lease database (lease-store: {type: postgresql, ...})");
                    return BAD_CONFIG;
                }
                postgresql = p;
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return BAD_CONFIG;
            }
            try {
                return run(LeaseSchema.of(ServerComposition.postgres(postgresql)));
            } catch (IOException e) {
                err.println(e.getMessage());
                return DATABASE_FAILED;
            }
        }

        void print(LeaseSchema.Status status) {
            out.println("schema version: " + status.current().orElse("none (empty database)"));
            out.println("this build: " + status.latest());
            if (status.pending().isEmpty()) {
                out.println("pending migrations: none");
            } else {
                out.println("pending migrations: " + String.join(", ", status.pending()));
            }
        }
    }

    @Command(name = "init", description = "Create the schema in an empty database (refuses one that has it).")
    static final class Init extends SchemaCommand {
        @Override
        int run(LeaseSchema schema) throws IOException {
            print(schema.init());
            return 0;
        }
    }

    @Command(name = "upgrade", description = "Apply the migrations this build has and the database lacks.")
    static final class Upgrade extends SchemaCommand {
        @Override
        int run(LeaseSchema schema) throws IOException {
            print(schema.upgrade());
            return 0;
        }
    }

    @Command(name = "status", description = "Show the schema version; exit 3 when migrations are pending.")
    static final class Status extends SchemaCommand {
        @Override
        int run(LeaseSchema schema) throws IOException {
            LeaseSchema.Status status = schema.status();
            print(status);
            return status.upToDate() ? 0 : PENDING;
        }
    }
}
