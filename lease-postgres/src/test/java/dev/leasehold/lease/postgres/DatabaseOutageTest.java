package dev.leasehold.lease.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database stops and starts under a running store: puts fail fast with a reason instead of
 * hanging or answering wrongly, reads go on from the copy, health and metrics say so, and
 * everything comes back by itself, including the changes made while the feed was away. A server
 * of its own, since stopping the shared one would break the other classes.
 */
@Timeout(120)
class DatabaseOutageTest {

    private static ThrowawayPostgres server;
    private static PostgresStoreConfig config;

    @BeforeAll
    static void ownServer() throws Exception {
        Assumptions.assumeTrue(ThrowawayPostgres.unavailableReason().isEmpty(),
                () -> "no PostgreSQL for this test: " + ThrowawayPostgres.unavailableReason().orElse(""));
        server = ThrowawayPostgres.start();
        server.createDatabase("outage");
        config = PostgresStoreConfig.of(server.jdbcUrl("outage"), ThrowawayPostgres.USER)
                .withConnectTimeout(Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void putsFailWithAReasonWhileTheDatabaseIsDownAndSucceedAgainWhenItIsBack() throws Exception {
        Instant now = Instant.now();
        try (PostgresLeaseStore store = PostgresLeaseStore.open(config, Clock.systemUTC());
             PostgresLeaseStore other = PostgresLeaseStore.open(config, Clock.systemUTC())) {
            Lease before = SharedDatabaseTest.active("10.8.0.1", 1, now, Duration.ofHours(1));
            assertThat(SharedDatabaseTest.put(store, before, now)).isInstanceOf(PutResult.Stored.class);

            server.stopServer("fast");
            long started = System.nanoTime();
            PutResult during = store.put(SharedDatabaseTest.active("10.8.0.2", 2, now, Duration.ofHours(1)), now)
                    .orTimeout(20, TimeUnit.SECONDS).join();
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(during).isInstanceOf(PutResult.Failed.class);
            assertThat(((PutResult.Failed) during).reason()).contains("lease database is unavailable");
            assertThat(waitedMillis).as("a failed put waits about the connect timeout, not forever").isLessThan(10_000);
            assertThat(store.health().writable()).isFalse();
            assertThat(store.health().detail()).contains("unavailable");
            assertThat(SharedDatabaseTest.metric(store, "database_up")).isZero();
            assertThat(store.get(before.address())).as("reads go on from the copy").contains(before);
            assertThat(store.findExpired(now.plus(Duration.ofHours(2)), 10)).isEmpty();

            server.startServer();
            // Written behind the first store's back while its feed reconnects.
            Lease meanwhile = SharedDatabaseTest.active("10.8.0.3", 3, now, Duration.ofHours(1));
            SharedDatabaseTest.awaitTrue("the other store to write again",
                    () -> other.put(meanwhile, now).join() instanceof PutResult.Stored);
            Lease after = SharedDatabaseTest.active("10.8.0.4", 4, now, Duration.ofHours(1));
            SharedDatabaseTest.awaitTrue("the store to write again",
                    () -> store.put(after, now).join() instanceof PutResult.Stored);
            SharedDatabaseTest.awaitTrue("the store to be healthy", () -> store.health().writable());
            SharedDatabaseTest.awaitTrue("the store's copy to have the other's write",
                    () -> store.get(meanwhile.address()).isPresent());
            assertThat(store.get(after.address())).contains(after);
            assertThat(store.get(before.address())).contains(before);
            assertThat(store.get(SharedDatabaseTest.active("10.8.0.2", 2, now, Duration.ofHours(1)).address()))
                    .as("the failed put left nothing").isEmpty();
            assertThat(SharedDatabaseTest.metric(store, "database_up")).isEqualTo(1);
        }
    }

    @Test
    void openingWithoutADatabaseFailsWithAClearError() {
        PostgresStoreConfig nowhere = PostgresStoreConfig.of("jdbc:postgresql://127.0.0.1:1/none", "nobody");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostgresLeaseStore.open(nowhere, Clock.systemUTC()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("lease database");
    }
}
