package dev.leasehold.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link LeaseStore} promises (DESIGN §4.6: one contract suite for every store). A
 * store's test extends this class and says how to make a fresh, empty store and how to open the
 * same storage again after {@link LeaseStore#close()}.
 *
 * <p>The rule at the centre is the server's safety property: one address is never bound to two
 * clients (RFC 2131 §4.3.1/§4.3.2: the server must not hand out an address in use). The store
 * refuses a put with {@link PutResult.Conflict} while another client's lease still
 * {@linkplain Lease#holdsAddressAt holds} the address, and it must do so under concurrency and
 * across restarts.
 */
public abstract class LeaseStoreContract {

    /** An instant with nanoseconds, so a store that rounds timestamps fails the round trip. */
    protected static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    protected static final Duration HOUR = Duration.ofHours(1);

    protected LeaseStore store;

    /** A new store with nothing in it. */
    protected abstract LeaseStore newStore() throws Exception;

    /**
     * A store over the same storage as {@code closed}, which the caller has just closed. A store
     * that keeps nothing across close aborts the calling test (JUnit {@code Assumptions.abort}).
     */
    protected abstract LeaseStore reopen(LeaseStore closed) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- fixtures ------------------------------------------------------------------------

    protected static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    /** Client number n, as option 61 in its common form: type 1 then a MAC built from n. */
    protected static ClientId client(int n) {
        return new ClientId(new byte[] {1, 0x02, 0, 0, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    protected static HardwareAddress mac(int n) {
        return new HardwareAddress(HardwareAddress.ETHERNET,
                new byte[] {0x02, 0, 0, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }

    /** An active lease of client n, started at {@link #NOW} for an hour. */
    protected static Lease active(String address, int n) {
        return lease(address, n, LeaseState.ACTIVE, NOW, NOW.plus(HOUR));
    }

    protected static Lease lease(String address, int n, LeaseState state, Instant start, Instant expiresAt) {
        return new Lease(ip(address), client(n), mac(n), 7, state, start, expiresAt, "host-" + n);
    }

    protected PutResult put(Lease lease) {
        return put(lease, NOW);
    }

    protected PutResult put(Lease lease, Instant now) {
        return store.put(lease, now).orTimeout(10, TimeUnit.SECONDS).join();
    }

    protected boolean delete(String address) {
        return store.delete(ip(address)).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void reopenStore() throws Exception {
        LeaseStore closed = store;
        store = null;
        closed.close();
        store = reopen(closed);
    }

    // ---- put and get ---------------------------------------------------------------------

    @Test
    void putThenGetReturnsTheSameLease() {
        Lease lease = active("10.0.0.1", 1);
        assertThat(put(lease)).isEqualTo(new PutResult.Stored(lease));
        assertThat(store.get(ip("10.0.0.1"))).contains(lease);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void getOfUnknownAddressIsEmpty() {
        put(active("10.0.0.1", 1));
        assertThat(store.get(ip("10.0.0.2"))).isEmpty();
    }

    @Test
    void everyFieldSurvivesExactly() {
        Lease odd = new Lease(ip("255.255.255.254"), new ClientId(new byte[] {(byte) 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8}),
                new HardwareAddress(6, new byte[16]), -3, LeaseState.DECLINED,
                Instant.ofEpochSecond(-5, 1), Instant.ofEpochSecond(4_000_000_000L, 999_999_999), "ωμέγα.example");
        Lease bare = new Lease(ip("0.0.0.1"), new ClientId(new byte[] {0}), new HardwareAddress(0, new byte[0]), 0,
                LeaseState.EXPIRED, NOW, NOW, "");
        put(odd);
        put(bare);
        assertThat(store.get(odd.address())).contains(odd);
        assertThat(store.get(bare.address())).contains(bare);
    }

    @Test
    void putReplacesTheRecordOfTheAddress() {
        put(active("10.0.0.1", 1));
        Lease renewed = lease("10.0.0.1", 1, LeaseState.ACTIVE, NOW.plusSeconds(60), NOW.plus(HOUR).plusSeconds(60));
        assertThat(put(renewed, NOW.plusSeconds(60))).isEqualTo(new PutResult.Stored(renewed));
        assertThat(store.get(ip("10.0.0.1"))).contains(renewed);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void putForAddressHeldByAnotherClientIsConflictAndChangesNothing() {
        Lease holder = active("10.0.0.1", 1);
        put(holder);
        PutResult result = put(active("10.0.0.1", 2), NOW.plusSeconds(10));
        assertThat(result).isEqualTo(new PutResult.Conflict(holder));
        assertThat(store.get(ip("10.0.0.1"))).contains(holder);
        assertThat(store.findByClient(client(2))).isEmpty();
    }

    @Test
    void putForAddressDeclinedAndStillInProbationIsConflict() {
        Lease declined = lease("10.0.0.1", 1, LeaseState.DECLINED, NOW, NOW.plusSeconds(600));
        put(declined);
        assertThat(put(active("10.0.0.1", 2), NOW.plusSeconds(599))).isEqualTo(new PutResult.Conflict(declined));
    }

    @Test
    void conflictIsJudgedAtTheGivenNowNotTheWallClock() {
        // Expires long before the wall clock's present, but "now" is earlier still.
        Lease holder = lease("10.0.0.1", 1, LeaseState.ACTIVE, Instant.parse("2001-01-01T00:00:00Z"),
                Instant.parse("2001-01-01T01:00:00Z"));
        put(holder, Instant.parse("2001-01-01T00:00:00Z"));
        assertThat(put(active("10.0.0.1", 2), Instant.parse("2001-01-01T00:30:00Z")))
                .isInstanceOf(PutResult.Conflict.class);
    }

    @Test
    void putIsAllowedOnceTheHoldersLeaseEndsExactlyAtNow() {
        Lease holder = active("10.0.0.1", 1);
        put(holder);
        Instant end = holder.expiresAt();
        assertThat(put(active("10.0.0.1", 2), end.minusNanos(1))).isInstanceOf(PutResult.Conflict.class);
        Lease taker = lease("10.0.0.1", 2, LeaseState.ACTIVE, end, end.plus(HOUR));
        assertThat(put(taker, end)).isEqualTo(new PutResult.Stored(taker));
        assertThat(store.get(ip("10.0.0.1"))).contains(taker);
    }

    @Test
    void putIsAllowedOverAnotherClientsReleasedLease() {
        put(active("10.0.0.1", 1));
        put(lease("10.0.0.1", 1, LeaseState.RELEASED, NOW, NOW.plus(HOUR)));
        Lease taker = active("10.0.0.1", 2);
        assertThat(put(taker, NOW.plusSeconds(1))).isEqualTo(new PutResult.Stored(taker));
    }

    @Test
    void putIsAllowedOverAnotherClientsExpiredStateLease() {
        put(lease("10.0.0.1", 1, LeaseState.EXPIRED, NOW, NOW.plus(HOUR)));
        Lease taker = active("10.0.0.1", 2);
        assertThat(put(taker)).isEqualTo(new PutResult.Stored(taker));
    }

    @Test
    void theHoldingClientMayReplaceItsOwnActiveOrDeclinedLease() {
        put(active("10.0.0.1", 1));
        Lease declined = lease("10.0.0.1", 1, LeaseState.DECLINED, NOW, NOW.plus(HOUR));
        assertThat(put(declined)).isEqualTo(new PutResult.Stored(declined));
        Lease again = active("10.0.0.1", 1);
        assertThat(put(again)).isEqualTo(new PutResult.Stored(again));
    }

    @Test
    void sameClientIdWithAnotherMacStillCountsAsTheHolder() {
        put(active("10.0.0.1", 1));
        Lease newNic = new Lease(ip("10.0.0.1"), client(1), mac(99), 7, LeaseState.ACTIVE, NOW, NOW.plus(HOUR), "h");
        assertThat(put(newNic)).isEqualTo(new PutResult.Stored(newNic));
        assertThat(store.findByHardwareAddress(mac(1))).isEmpty();
        assertThat(store.findByHardwareAddress(mac(99))).containsExactly(newNic);
    }

    // ---- delete --------------------------------------------------------------------------

    @Test
    void deleteRemovesTheRecordAndSaysWhetherThereWasOne() {
        put(active("10.0.0.1", 1));
        put(active("10.0.0.2", 1));
        assertThat(delete("10.0.0.1")).isTrue();
        assertThat(delete("10.0.0.1")).isFalse();
        assertThat(delete("10.9.9.9")).isFalse();
        assertThat(store.get(ip("10.0.0.1"))).isEmpty();
        assertThat(store.findByClient(client(1))).extracting(Lease::address).containsExactly(ip("10.0.0.2"));
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aDeletedAddressMayGoToAnotherClient() {
        put(active("10.0.0.1", 1));
        delete("10.0.0.1");
        Lease taker = active("10.0.0.1", 2);
        assertThat(put(taker)).isEqualTo(new PutResult.Stored(taker));
    }

    // ---- look-ups ------------------------------------------------------------------------

    @Test
    void findByClientReturnsEveryLeaseOfThatClientInAnyState() {
        Lease a = active("10.0.0.1", 1);
        Lease b = lease("10.0.1.1", 1, LeaseState.EXPIRED, NOW.minus(HOUR), NOW);
        Lease c = lease("10.0.2.1", 1, LeaseState.RELEASED, NOW, NOW.plus(HOUR));
        put(a);
        put(b);
        put(c);
        put(active("10.0.0.2", 2));
        assertThat(store.findByClient(client(1))).containsExactlyInAnyOrder(a, b, c);
        assertThat(store.findByClient(client(3))).isEmpty();
    }

    @Test
    void findByClientFollowsAnAddressThatChangedHands() {
        put(lease("10.0.0.1", 1, LeaseState.RELEASED, NOW, NOW.plus(HOUR)));
        Lease taker = active("10.0.0.1", 2);
        put(taker);
        assertThat(store.findByClient(client(1))).isEmpty();
        assertThat(store.findByClient(client(2))).containsExactly(taker);
        assertThat(store.findByHardwareAddress(mac(1))).isEmpty();
    }

    @Test
    void findByHardwareAddressMatchesTypeAndBytes() {
        Lease a = active("10.0.0.1", 1);
        put(a);
        put(active("10.0.0.2", 2));
        assertThat(store.findByHardwareAddress(mac(1))).containsExactly(a);
        // Same six bytes, another htype (6 = IEEE 802): not the same hardware address.
        assertThat(store.findByHardwareAddress(new HardwareAddress(6, mac(1).bytes()))).isEmpty();
    }

    @Test
    void findExpiredReturnsOnlyActiveLeasesEndedAtOrBeforeNow() {
        Lease endedBefore = lease("10.0.0.1", 1, LeaseState.ACTIVE, NOW.minus(HOUR), NOW.minusSeconds(1));
        Lease endsNow = lease("10.0.0.2", 2, LeaseState.ACTIVE, NOW.minus(HOUR), NOW);
        put(endedBefore);
        put(endsNow);
        put(lease("10.0.0.3", 3, LeaseState.ACTIVE, NOW.minus(HOUR), NOW.plusNanos(1)));
        put(lease("10.0.0.4", 4, LeaseState.RELEASED, NOW.minus(HOUR), NOW.minusSeconds(1)));
        put(lease("10.0.0.5", 5, LeaseState.EXPIRED, NOW.minus(HOUR), NOW.minusSeconds(1)));
        put(lease("10.0.0.6", 6, LeaseState.DECLINED, NOW.minus(HOUR), NOW.minusSeconds(1)));
        assertThat(store.findExpired(NOW, 100)).containsExactlyInAnyOrder(endedBefore, endsNow);
        assertThat(store.findExpired(NOW.minusSeconds(2), 100)).isEmpty();
    }

    @Test
    void findExpiredStopsAtTheLimit() {
        for (int i = 1; i <= 20; i++) {
            put(lease("10.0.0." + i, i, LeaseState.ACTIVE, NOW.minus(HOUR), NOW.minusSeconds(i)));
        }
        List<Lease> some = store.findExpired(NOW, 7);
        assertThat(some).hasSize(7).doesNotHaveDuplicates();
        assertThat(some).allSatisfy(l -> assertThat(l.expiresAt()).isBeforeOrEqualTo(NOW));
        assertThat(store.findExpired(NOW, 0)).isEmpty();
        assertThat(store.findExpired(NOW, 100)).hasSize(20);
    }

    @Test
    void forEachSeesEveryLeaseOnce() {
        Set<Lease> expected = new HashSet<>();
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Lease lease = active("10.1." + (i / 250) + "." + (i % 250 + 1), i);
            puts.add(store.put(lease, NOW));
            expected.add(lease);
        }
        puts.forEach(future -> assertThat(future.orTimeout(20, TimeUnit.SECONDS).join())
                .isInstanceOf(PutResult.Stored.class));
        delete("10.1.0.1");
        expected.remove(active("10.1.0.1", 0));
        List<Lease> seen = new ArrayList<>();
        store.forEach(seen::add);
        assertThat(seen).hasSize(expected.size());
        assertThat(new HashSet<>(seen)).isEqualTo(expected);
        assertThat(store.size()).isEqualTo(expected.size());
    }

    @Test
    void aPutAfterCloseCompletesAsFailedAndCloseIsIdempotent() {
        put(active("10.0.0.1", 1));
        store.close();
        PutResult result = store.put(active("10.0.0.2", 2), NOW).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(result).isInstanceOf(PutResult.Failed.class);
        assertThat(((PutResult.Failed) result).reason()).isNotBlank();
        assertThat(store.health().writable()).isFalse();
        store.close();
    }

    @Test
    void healthOfAnOpenStoreIsWritable() {
        assertThat(store.health().writable()).isTrue();
        assertThat(store.health().detail()).isNotBlank();
    }

    // ---- concurrency ---------------------------------------------------------------------

    @Test
    @Timeout(60)
    void concurrentPutsForOneAddressNeverStoreTwoClients() throws Exception {
        int threads = 8;
        int addresses = 300;
        CountDownLatch start = new CountDownLatch(1);
        List<List<CompletableFuture<PutResult>>> results = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<PutResult>> mine = new ArrayList<>();
            results.add(mine);
            int clientNumber = t + 1;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int a = 0; a < addresses; a++) {
                    mine.add(store.put(active("10.2." + (a / 200) + "." + (a % 200 + 1), clientNumber), NOW));
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        Map<Ipv4Address, Set<ClientId>> storedClients = new HashMap<>();
        for (List<CompletableFuture<PutResult>> mine : results) {
            assertThat(mine).hasSize(addresses);
            for (CompletableFuture<PutResult> future : mine) {
                PutResult result = future.get(20, TimeUnit.SECONDS);
                assertThat(result).isNotInstanceOf(PutResult.Failed.class);
                if (result instanceof PutResult.Stored(Lease lease)) {
                    storedClients.computeIfAbsent(lease.address(), k -> new HashSet<>()).add(lease.clientId());
                }
            }
        }
        assertThat(storedClients).hasSize(addresses);
        storedClients.forEach((address, clients) -> {
            assertThat(clients).as("clients stored for %s", address).hasSize(1);
            assertThat(store.get(address).orElseThrow().clientId()).isEqualTo(clients.iterator().next());
        });
    }

    // ---- durability ----------------------------------------------------------------------

    @Test
    void aReopenedStoreHasEveryCompletedWrite() throws Exception {
        Map<Ipv4Address, Lease> expected = new HashMap<>();
        for (int i = 1; i <= 200; i++) {
            Lease lease = active("10.3.0." + i, i);
            put(lease);
            expected.put(lease.address(), lease);
        }
        Lease renewed = lease("10.3.0.5", 5, LeaseState.ACTIVE, NOW.plusSeconds(30), NOW.plus(HOUR).plusSeconds(30));
        put(renewed);
        expected.put(renewed.address(), renewed);
        Lease released = lease("10.3.0.6", 6, LeaseState.RELEASED, NOW, NOW.plusSeconds(40));
        put(released);
        expected.put(released.address(), released);
        delete("10.3.0.7");
        expected.remove(ip("10.3.0.7"));

        reopenStore();

        assertThat(store.size()).isEqualTo(expected.size());
        expected.forEach((address, lease) -> assertThat(store.get(address)).contains(lease));
        assertThat(store.get(ip("10.3.0.7"))).isEmpty();
        assertThat(store.findByClient(client(5))).containsExactly(renewed);
        assertThat(store.findByHardwareAddress(mac(6))).containsExactly(released);
        // 200 active, less the deleted, the released and the renewed one (which ends 30 s later).
        assertThat(store.findExpired(NOW.plus(HOUR), 1000)).hasSize(197);
    }

    @Test
    void aReopenedStoreStillRefusesTheHoldersAddressToOthers() throws Exception {
        Lease holder = active("10.3.1.1", 1);
        put(holder);
        reopenStore();
        assertThat(put(active("10.3.1.1", 2))).isEqualTo(new PutResult.Conflict(holder));
    }

    @Test
    void aStoreMayBeReopenedTwiceAndKeepsWritesOfEachLife() throws Exception {
        put(active("10.3.2.1", 1));
        reopenStore();
        put(active("10.3.2.2", 2));
        delete("10.3.2.1");
        reopenStore();
        assertThat(store.get(ip("10.3.2.1"))).isEmpty();
        assertThat(store.get(ip("10.3.2.2"))).contains(active("10.3.2.2", 2));
        assertThat(store.size()).isEqualTo(1);
    }
}
