package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.lease.postgres.LeaseAudit;
import dev.leasehold.lease.postgres.SharedPostgres;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole Leasehold servers on a real PostgreSQL (issue 14, "proven with real peers", first
 * version: in-process servers on loopback ports, relay-path clients). Every check that matters is
 * made in SQL: the audit trigger ({@link LeaseAudit}) shows that no committed write ever made an
 * address active for a second client, and every DHCPACK a client saw is a row of that client.
 */
@ExtendWith(SharedPostgres.class)
@Timeout(180)
class PostgresServersTest {

    private static final Duration STEP = Duration.ofSeconds(2);
    private static final Duration LEASE = Duration.ofSeconds(600);

    @TempDir
    Path dir;
    private final List<LeaseholdServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(LeaseholdServer::close);
    }

    /** What one client last got acknowledged: the address, and the earliest its lease can end. */
    record Ack(String clientHex, Ipv4Address address, Instant endsNoEarlierThan) {}

    private LeaseholdServer startServer(String name, String url) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, """
                listen: {address: 127.0.0.1, port: 0}
                data-directory: %s
                valid-lifetime: %d
                lease-store:
                  type: postgresql
                  url: '%s'
                  user: %s
                  connect-timeout: 500ms
                subnets:
                  - id: 7
                    subnet: 192.0.2.0/24
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 192.0.2.100-192.0.2.139}]
                """.formatted(dir.resolve(name), LEASE.toSeconds(), url, ThrowawayPostgres.USER));
        LeaseholdServer server = LeaseholdServer.start(config, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"));
        servers.add(server);
        return server;
    }

    private static String setUpDatabase(ThrowawayPostgres postgres, String name) throws IOException {
        SharedPostgres.databaseWithSchema(postgres, name);
        return name;
    }

    /**
     * One client's run: DORA with a random server (retrying a NAK, which is how a lost race ends),
     * then a renewal sent to a random server, {@code rounds} times; every ACK is recorded.
     */
    private static void clientRun(int n, List<InetSocketAddress> servers, int rounds, BooleanSupplier keepGoing,
                                  Map<String, Ack> acks, AtomicInteger ackCount) throws IOException {
        HardwareAddress mac = new HardwareAddress(1, new byte[] {2, 0, 0, 0, (byte) (n >> 8), (byte) n});
        String clientHex = "01" + HexFormat.of().formatHex(mac.bytes());
        List<RelayPathClient> paths = new ArrayList<>();
        try {
            for (InetSocketAddress server : servers) {
                paths.add(RelayPathClient.open(Ipv4Address.parse("127.0.0.1"), server,
                        new ClientMessages(mac, null, "c" + n, ClientMessages.RelayFields.NONE),
                        RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC()));
            }
            for (int round = 0; round < rounds && keepGoing.getAsBoolean(); round++) {
                Optional<Binding> bound = Optional.empty();
                for (int attempt = 0; attempt < 10 && bound.isEmpty(); attempt++) {
                    RelayPathClient path = paths.get(ThreadLocalRandom.current().nextInt(paths.size()));
                    Instant sent = Instant.now();
                    bound = path.obtain(null, STEP);
                    bound.ifPresent(b -> {
                        acks.put(clientHex, new Ack(clientHex, b.address(), sent.plus(b.leaseTime())));
                        ackCount.incrementAndGet();
                    });
                }
                if (bound.isEmpty()) {
                    continue;
                }
                RelayPathClient path = paths.get(ThreadLocalRandom.current().nextInt(paths.size()));
                Instant sent = Instant.now();
                Optional<DhcpMessage> renewed = path.exchange(
                        path.messages().requestRenew(path.newXid(), bound.get().address()), STEP);
                if (renewed.flatMap(DhcpMessage::messageType).orElse(null) == MessageType.ACK) {
                    Binding b = Binding.from(renewed.get(), sent);
                    acks.put(clientHex, new Ack(clientHex, b.address(), sent.plus(b.leaseTime())));
                    ackCount.incrementAndGet();
                }
            }
        } finally {
            for (RelayPathClient path : paths) {
                path.close();
            }
        }
    }

    private static List<Thread> startClients(int from, int count, List<InetSocketAddress> servers, int rounds,
                                             BooleanSupplier keepGoing, Map<String, Ack> acks, AtomicInteger ackCount,
                                             List<Throwable> errors) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = from + i;
            threads.add(Thread.ofPlatform().name("client-" + n).start(() -> {
                try {
                    clientRun(n, servers, rounds, keepGoing, acks, ackCount);
                } catch (IOException | RuntimeException e) {
                    errors.add(e);
                }
            }));
        }
        return threads;
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(150));
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }
    }

    /** Every ACK's lease is in the database: the same client, active, ending no earlier than the ACK said. */
    private static void assertEveryAckIsStored(LeaseAudit audit, Map<String, Ack> acks) throws IOException {
        for (Ack ack : acks.values()) {
            String[] row = audit.row(ack.address().toString()).split(" ");
            assertThat(row).as("row of %s, acknowledged to %s", ack.address(), ack.clientHex()).hasSize(4);
            assertThat(row[0]).as("holder of %s", ack.address()).isEqualTo(ack.clientHex());
            assertThat(row[1]).as("state of %s", ack.address()).isEqualTo("active");
            long endsNanos = Long.parseLong(row[2]);
            long ackNanos = ack.endsNoEarlierThan().getEpochSecond() * 1_000_000_000L + ack.endsNoEarlierThan().getNano();
            assertThat(endsNanos).as("end of %s", ack.address()).isGreaterThanOrEqualTo(ackNanos - 1_000_000_000L);
        }
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void twoServersOnOneDatabaseNeverGiveOneAddressToTwoClients(ThrowawayPostgres postgres) throws Exception {
        String database = setUpDatabase(postgres, "two_servers");
        LeaseAudit audit = LeaseAudit.install(postgres, database);
        LeaseholdServer a = startServer("a", postgres.jdbcUrl(database));
        LeaseholdServer b = startServer("b", postgres.jdbcUrl(database));
        Map<String, Ack> acks = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

        // 30 clients, 40 addresses, each server picking at random: the two collide often.
        join(startClients(1, 30, List.of(a.localAddress(), b.localAddress()), 4, () -> true, acks, ackCount,
                errors));

        assertThat(errors).isEmpty();
        assertThat(acks).as("clients that got a lease").hasSizeGreaterThanOrEqualTo(28);
        assertThat(audit.doubleHolders()).as("writes that gave a held address to a second client").isEmpty();
        assertEveryAckIsStored(audit, acks);
        assertThat(acks.values().stream().map(Ack::address).distinct().count()).isEqualTo(acks.size());
        // Each server learns of the other's leases through the change feed.
        for (Ack ack : acks.values()) {
            awaitTrue("both servers to know " + ack.address(), Duration.ofSeconds(10),
                    () -> a.store().get(ack.address()).isPresent() && b.store().get(ack.address()).isPresent());
        }
    }

    @Test
    void postgresqlStoppedAndStartedMidLoadLosesNothingAcknowledgedAndServiceReturns() throws Exception {
        try (ThrowawayPostgres own = ThrowawayPostgres.start()) {
            String database = setUpDatabase(own, "restart");
            LeaseAudit audit = LeaseAudit.install(own, database);
            LeaseholdServer server = startServer("solo", own.jdbcUrl(database));
            List<InetSocketAddress> at = List.of(server.localAddress());
            Map<String, Ack> acks = new ConcurrentHashMap<>();
            AtomicInteger ackCount = new AtomicInteger();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

            java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
            // Renewing and re-acquiring clients keep going through the outage.
            List<Thread> load = startClients(100, 10, at, 10_000, loading::get, acks, ackCount, errors);
            awaitTrue("some leases before the stop", Duration.ofSeconds(30), () -> ackCount.get() >= 20);
            own.stopServer("fast");
            awaitTrue("the store to notice", Duration.ofSeconds(30), () -> !server.store().health().writable());
            Thread.sleep(2_000);
            own.startServer();
            int ackedAtRestart = ackCount.get();
            // New clients after the restart: served without anyone restarting Leasehold.
            join(startClients(200, 10, at, 2, () -> true, acks, ackCount, errors));
            loading.set(false);
            join(load);

            assertThat(errors).isEmpty();
            assertThat(ackCount.get()).as("ACKs after the database came back").isGreaterThan(ackedAtRestart);
            assertThat(server.store().health().writable()).isTrue();
            awaitTrue("the change feed to reconnect", Duration.ofSeconds(15), () -> server.store().statistics().stream()
                    .anyMatch(m -> m.name().equals("leasehold_postgres_change_feed_connected") && m.value() == 1));
            assertThat(audit.doubleHolders()).isEmpty();
            assertEveryAckIsStored(audit, acks);
            assertThat(acks.keySet()).as("clients of the second wave served").anyMatch(c -> c.endsWith("00c8"));
        }
    }
}
