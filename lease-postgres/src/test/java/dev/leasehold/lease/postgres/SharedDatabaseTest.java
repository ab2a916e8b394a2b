package dev.leasehold.lease.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.StoreStatistic;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two stores on one database, as two servers would have: the database, not either store's
 * copy, decides conflicts; each learns of the other's writes through the change feed; each
 * expired lease is claimed by one of them.
 */
@ExtendWith(SharedPostgres.class)
@Timeout(60)
class SharedDatabaseTest {

    private static final String DATABASE = "shared";
    private static final Instant NOW = Instant.now();
    private static ThrowawayPostgres server;
    private static PostgresStoreConfig config;

    private PostgresLeaseStore a;
    private PostgresLeaseStore b;

    @BeforeAll
    static void database(ThrowawayPostgres shared) throws Exception {
        server = shared;
        config = SharedPostgres.databaseWithSchema(server, DATABASE);
    }

    @BeforeEach
    void twoServers() throws Exception {
        SharedPostgres.emptyLeaseTable(config);
        a = PostgresLeaseStore.open(config, Clock.systemUTC());
        b = PostgresLeaseStore.open(config, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    static Lease active(String address, int client, Instant start, Duration length) {
        return new Lease(Ipv4Address.parse(address), new ClientId(new byte[] {1, 2, 0, 0, 0, (byte) client}),
                new HardwareAddress(1, new byte[] {2, 0, 0, 0, 0, (byte) client}), 1, LeaseState.ACTIVE, start,
                start.plus(length), "client-" + client);
    }

    static PutResult put(PostgresLeaseStore store, Lease lease, Instant now) {
        return store.put(lease, now).orTimeout(20, TimeUnit.SECONDS).join();
    }

    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static double metric(PostgresLeaseStore store, String name) {
        return store.statistics().stream().filter(m -> m.name().equals(StoreCounters.PREFIX + name))
                .mapToDouble(StoreStatistic::value)
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }

    @Test
    void theSecondServerToCommitAnAddressGetsConflictEvenBeforeItsCopyKnows() {
        Lease first = active("10.9.0.1", 1, NOW, Duration.ofHours(1));
        assertThat(put(a, first, NOW)).isEqualTo(new PutResult.Stored(first));
        // b may not have heard of a's write yet: its answer must come from the database.
        PutResult second = put(b, active("10.9.0.1", 2, NOW, Duration.ofHours(1)), NOW.plusSeconds(1));
        assertThat(second).isEqualTo(new PutResult.Conflict(first));
        assertThat(b.get(Ipv4Address.parse("10.9.0.1"))).contains(first);
        assertThat(metric(b, "conflicts_total")).isEqualTo(1);
    }

    @Test
    void concurrentServersNeverStoreOneAddressForTwoClients() {
        List<CompletableFuture<PutResult>> fromA = new ArrayList<>();
        List<CompletableFuture<PutResult>> fromB = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String address = "10.9." + (i / 200) + "." + (i % 200 + 1);
            fromA.add(a.put(active(address, 1, NOW, Duration.ofHours(1)), NOW));
            fromB.add(b.put(active(address, 2, NOW, Duration.ofHours(1)), NOW));
        }
        int stored = 0;
        for (int i = 0; i < 400; i++) {
            PutResult ra = fromA.get(i).orTimeout(30, TimeUnit.SECONDS).join();
            PutResult rb = fromB.get(i).orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(List.of(ra, rb)).as("address %d", i).noneMatch(r -> r instanceof PutResult.Failed);
            int winners = (ra instanceof PutResult.Stored ? 1 : 0) + (rb instanceof PutResult.Stored ? 1 : 0);
            assertThat(winners).as("stored puts for address %d", i).isEqualTo(1);
            stored += winners;
        }
        assertThat(stored).isEqualTo(400);
        assertThat(metric(a, "conflicts_total") + metric(b, "conflicts_total")).isEqualTo(400);
    }

    @Test
    void aServerLearnsOfTheOthersWritesAndDeletesThroughTheFeedButNotOfItsOwn() throws Exception {
        List<Ipv4Address> toldA = new CopyOnWriteArrayList<>();
        List<Ipv4Address> toldB = new CopyOnWriteArrayList<>();
        a.watchExternalChanges(toldA::add);
        b.watchExternalChanges(toldB::add);
        Lease lease = active("10.9.1.1", 1, NOW, Duration.ofHours(1));
        put(a, lease, NOW);
        awaitTrue("b to see a's lease", () -> b.get(lease.address()).isPresent());
        assertThat(b.get(lease.address())).contains(lease);
        assertThat(b.findByClient(lease.clientId())).containsExactly(lease);
        assertThat(toldB).contains(lease.address());

        a.delete(lease.address()).orTimeout(10, TimeUnit.SECONDS).join();
        awaitTrue("b to see the delete", () -> b.get(lease.address()).isEmpty());
        assertThat(metric(b, "change_feed_changes_total")).isGreaterThanOrEqualTo(2);
        assertThat(metric(b, "change_feed_lag_max_seconds")).isBetween(0.0, 10.0);
        assertThat(toldA).as("a's own writes are not external to it").isEmpty();
    }

    @Test
    void anOperatorsChangeInSqlReachesTheServers() throws Exception {
        Lease lease = active("10.9.2.1", 1, NOW, Duration.ofHours(1));
        put(a, lease, NOW);
        server.psql(DATABASE, "UPDATE lease SET hostname = 'renamed' WHERE address = '10.9.2.1'");
        awaitTrue("a to see the operator's change",
                () -> a.get(lease.address()).map(l -> l.hostname().equals("renamed")).orElse(false));
    }

    @Test
    void eachExpiredLeaseIsClaimedByOneServer() {
        Instant past = NOW.minus(Duration.ofHours(2));
        for (int i = 1; i <= 60; i++) {
            put(a, active("10.9.3." + i, i, past, Duration.ofHours(1)), past);
        }
        List<Lease> claimedByA = a.findExpired(NOW, 25);
        List<Lease> claimedByB = b.findExpired(NOW, 100);
        List<Lease> againByA = a.findExpired(NOW, 100);
        assertThat(claimedByA).hasSize(25);
        assertThat(claimedByB).hasSize(35);
        Set<Ipv4Address> seenByA = new HashSet<>();
        againByA.forEach(l -> seenByA.add(l.address()));
        assertThat(seenByA).as("a still owns its own claims, and only those")
                .isEqualTo(new HashSet<>(claimedByA.stream().map(Lease::address).toList()));
        claimedByB.forEach(l -> assertThat(seenByA).doesNotContain(l.address()));
        // A claim lapses: a server that died mid-reclaim leaves its leases to the others.
        Instant later = NOW.plus(PostgresLeaseStore.RECLAIM_CLAIM).plusSeconds(1);
        assertThat(b.findExpired(later, 100)).hasSize(60);
    }

    @Test
    void aStaleExpiryNeverOverwritesARenewalMadeByAnotherServer() {
        Instant start = NOW.minus(Duration.ofHours(2));
        Lease old = active("10.9.4.1", 1, start, Duration.ofHours(1));
        put(a, old, start);
        assertThat(b.findExpired(NOW, 10)).containsExactly(old);
        // Meanwhile the client renews with a: its lease now runs an hour from now.
        Lease renewed = active("10.9.4.1", 1, NOW, Duration.ofHours(1));
        assertThat(put(a, renewed, NOW)).isEqualTo(new PutResult.Stored(renewed));
        // b, not yet told, expires what it found: the database refuses.
        PutResult expiry = put(b, old.withState(LeaseState.EXPIRED, old.start(), old.expiresAt()), NOW);
        assertThat(expiry).isEqualTo(new PutResult.Conflict(renewed));
        assertThat(b.get(old.address())).contains(renewed);
    }

    @Test
    void aLeasePostgresqlCannotStoreFailsAloneAndItsGroupIsStored() {
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Lease lease = active("10.9.20." + (i + 1), 2000 + i, NOW, Duration.ofHours(1));
            if (i == 25) {
                // PostgreSQL text cannot hold U+0000: the statement fails for the whole group.
                lease = new Lease(lease.address(), lease.clientId(), lease.hardwareAddress(), lease.subnetId(),
                        lease.state(), lease.start(), lease.expiresAt(), "bad\0name");
            }
            puts.add(a.put(lease, NOW));
        }
        for (int i = 0; i < 50; i++) {
            PutResult result = puts.get(i).orTimeout(30, TimeUnit.SECONDS).join();
            if (i == 25) {
                assertThat(result).isInstanceOf(PutResult.Failed.class);
                assertThat(((PutResult.Failed) result).reason()).contains("refused the write");
            } else {
                assertThat(result).as("put %d", i).isInstanceOf(PutResult.Stored.class);
            }
        }
        assertThat(a.get(Ipv4Address.parse("10.9.20.26"))).isEmpty();
        assertThat(a.health().writable()).as("a refused row is not an outage").isTrue();
    }

    @Test
    void leasesThatArriveTogetherShareATransaction() {
        long before = a.transactionCount();
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            puts.add(a.put(active("10.9." + (10 + i / 250) + "." + (i % 250 + 1), 1000 + i, NOW, Duration.ofHours(1)), NOW));
        }
        puts.forEach(f -> assertThat(f.orTimeout(30, TimeUnit.SECONDS).join()).isInstanceOf(PutResult.Stored.class));
        long transactions = a.transactionCount() - before;
        assertThat(transactions).as("transactions for 500 puts issued at once").isBetween(1L, 100L);
    }
}
