package dev.leasehold.lease.postgres;

import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One throwaway PostgreSQL server for every test class of a JVM: a class extended with this
 * takes a {@link ThrowawayPostgres} parameter (in {@code @BeforeAll}, say); the first ask starts
 * the server, and JUnit stops it when the whole run ends (the root context's store closes what it
 * holds). Each class makes a database of its own on it. Where Debian's PostgreSQL binaries are
 * missing the tests are skipped, saying why.
 */
public final class SharedPostgres implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedPostgres.class);

    /** What the root store holds; JUnit closes it at the end of the run. */
    private record Running(ThrowawayPostgres server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    /** Creates database {@code name} on {@code server} with the lease schema; answers a store configuration for it. */
    public static PostgresStoreConfig databaseWithSchema(ThrowawayPostgres server, String name) throws IOException {
        server.createDatabase(name);
        PostgresStoreConfig config = PostgresStoreConfig.of(server.jdbcUrl(name), ThrowawayPostgres.USER);
        LeaseSchema.of(config).upgrade();
        return config;
    }

    /** Empties the lease table of {@code config}'s database (over JDBC: cheaper than a psql per test). */
    public static void emptyLeaseTable(PostgresStoreConfig config) throws SQLException {
        try (Connection connection = DriverManager.getConnection(config.url(), config.user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE lease");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ThrowawayPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<String> missing = ThrowawayPostgres.unavailableReason();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "no PostgreSQL for this test: " + missing.orElse(""));
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> {
            try {
                return new Running(ThrowawayPostgres.start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a throwaway PostgreSQL", e);
            }
        }, Running.class).server();
    }
}
