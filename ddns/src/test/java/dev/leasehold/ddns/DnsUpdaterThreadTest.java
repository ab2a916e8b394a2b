package dev.leasehold.ddns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The updater thread without a DNS server that answers (updates go to a closed port on loopback
 * and fail): what it queues, what it drops, and what the check against the lease store decides.
 */
class DnsUpdaterThreadTest {

    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.7");
    private static final String CLIENT = "01:02:00:00:00:00:07";

    @TempDir
    Path dir;

    private final DdnsMetrics metrics = new DdnsMetrics();
    private final Clock clock = Clock.systemUTC();
    private DnsUpdaterThread updater;

    private ServerConfig config(int queue) throws Exception {
        return ConfigLoader.parse("""
                data-directory: "%s"
                ddns-qualifying-suffix: example.com
                dhcp-ddns:
                  max-queue-size: %d
                  dns-server-timeout: 200ms
                  forward-ddns:
                    ddns-domains: [{name: example.com, dns-servers: [{ip-address: 127.0.0.1, port: 9}]}]
                subnets:
                  - {id: 1, subnet: 10.0.0.0/24, pools: [{range: 10.0.0.5-10.0.0.9}]}
                """.formatted(dir, queue), "ddns.yaml");
    }

    private DnsUpdaterThread open(ServerConfig config) throws Exception {
        Map<Ipv4Address, DnsEntry> loaded = new HashMap<>();
        DnsStateFile state = DnsStateFile.open(dir, loaded);
        updater = new DnsUpdaterThread(config, DnsZones.of(config.ddns()), state, loaded, metrics, clock);
        return updater;
    }

    @AfterEach
    void close() {
        if (updater != null) {
            updater.close();
        }
    }

    private static Registration alpha() {
        return new Registration(A, "alpha.example.com", true, false, new byte[] {0, 0, 1, 2, 0, 0, 0, 0, 7}, CLIENT, 1);
    }

    private void registeredBeforeTheRestart() throws Exception {
        try (DnsStateFile file = DnsStateFile.open(dir, new HashMap<>())) {
            file.write(new DnsEntry(A, alpha(), alpha(), DnsEntry.Status.REGISTERED, "", Instant.now()));
        }
    }

    @Test
    void aFullQueueDropsTheChangeAndCountsIt() throws Exception {
        DnsUpdaterThread u = open(config(1));

        boolean first = u.offer(new DnsChange.Ended(A));
        boolean second = u.offer(new DnsChange.Ended(Ipv4Address.parse("10.0.0.8")));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(metrics.droppedCount("queue-full")).isEqualTo(1);
        assertThat(u.queued()).isEqualTo(1);
    }

    @Test
    void registrationWhoseLeaseEndedWhileTheServerWasDownIsRemovedAtStart() throws Exception {
        registeredBeforeTheRestart();
        DnsUpdaterThread u = open(config(16));

        u.start(new InMemoryLeaseStore(), this::configUnchecked);

        awaitUntil(() -> u.entry(A).map(e -> e.wanted() == null).orElse(false));
        // The removal is attempted (and fails: nothing answers on port 9), and stays pending.
        awaitUntil(() -> metrics.failedCount("unreachable") + metrics.failedCount("timeout") > 0);
        assertThat(u.entry(A).orElseThrow().published()).isEqualTo(alpha());
        assertThat(u.pending()).isEqualTo(1);
    }

    @Test
    void registrationOfALeaseStillActiveIsKept() throws Exception {
        registeredBeforeTheRestart();
        InMemoryLeaseStore store = new InMemoryLeaseStore();
        Instant now = clock.instant();
        store.put(new Lease(A, ClientId.parse(CLIENT), HardwareAddress.parseEthernet("02:00:00:00:00:07"), 1,
                LeaseState.ACTIVE, now, now.plus(Duration.ofHours(1)), "alpha"), now).join();
        DnsUpdaterThread u = open(config(16));

        u.start(store, this::configUnchecked);
        Thread.sleep(300);

        assertThat(u.entry(A).orElseThrow().status()).isEqualTo(DnsEntry.Status.REGISTERED);
        assertThat(u.pending()).isZero();
    }

    @Test
    void clientThatMovesToAnotherAddressHasItsOldRegistrationEnded() throws Exception {
        DnsUpdaterThread u = open(config(16));
        Ipv4Address b = Ipv4Address.parse("10.0.0.8");
        Registration atB = new Registration(b, "alpha.example.com", true, false, alpha().dhcidIdentifier(), CLIENT, 1);
        u.start(new InMemoryLeaseStore(), this::configUnchecked);

        u.offer(new DnsChange.Acked(A, alpha(), CLIENT, 1, false));
        awaitUntil(() -> u.entry(A).isPresent());
        u.offer(new DnsChange.Acked(b, atB, CLIENT, 1, false));

        awaitUntil(() -> u.entry(b).isPresent());
        awaitUntil(() -> u.entry(A).map(e -> e.wanted() == null).orElse(true));
        assertThat(u.entry(b).orElseThrow().wanted()).isEqualTo(atB);
    }

    private ServerConfig configUnchecked() {
        try {
            return config(16);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
