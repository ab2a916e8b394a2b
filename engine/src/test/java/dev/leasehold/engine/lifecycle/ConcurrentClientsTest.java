package dev.leasehold.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.testkit.ForwardingLeaseStore;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several threads of clients and the reclaimer at once, with lease writes completing on another
 * thread as the journal store's do: no address is held by two clients at any moment, nothing
 * throws, and once everything ends every address is free again.
 */
class ConcurrentClientsTest {

    private static final int THREADS = 4;
    private static final int CLIENTS_PER_THREAD = 6;
    private static final int ROUNDS = 150;
    private static final int POOL = 20;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void clientsOnManyThreadsNeverShareAnAddress() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-lease-writer"));
        ExecutorService workers = Executors.newFixedThreadPool(THREADS + 1);
        try {
            EngineHarness h = EngineHarness.start(EngineHarness.BASE
                    .replace("10.0.0.100-10.0.0.199", "10.0.0.100-10.0.0." + (100 + POOL - 1))
                    .replace("allocation: iterative", "allocation: random"), new AsyncStore(writer));
            Map<Ipv4Address, String> holders = new ConcurrentHashMap<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean done = new AtomicBoolean();

            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                running.add(workers.submit(() -> clientsOf(h, thread, holders, violations)));
            }
            Future<?> reclaimer = workers.submit(() -> {
                while (!done.get()) {
                    h.engine.reclaimExpired(50);
                    Thread.onSpinWait();
                }
            });
            for (Future<?> f : running) {
                f.get(50, TimeUnit.SECONDS);
            }
            done.set(true);
            reclaimer.get(5, TimeUnit.SECONDS);

            assertThat(violations).isEmpty();
            h.clock.advance(Duration.ofDays(2));
            for (int i = 0; i < 10 && h.engine.reclaimExpired(100) > 0; i++) {
                // bounded: a few rounds reclaim everything
            }
            writer.submit(() -> { }).get(5, TimeUnit.SECONDS);   // let the last writes land
            assertThat(h.freeAddresses(1)).isEqualTo(POOL);
        } finally {
            workers.shutdownNow();
            writer.shutdownNow();
        }
    }

    private static void clientsOf(EngineHarness h, int thread, Map<Ipv4Address, String> holders, List<String> violations) {
        SplittableRandom random = new SplittableRandom(thread);
        List<TestClient> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS_PER_THREAD; c++) {
            clients.add(h.client(String.format("02:00:00:00:%02x:%02x", thread, c)));
        }
        for (int round = 0; round < ROUNDS; round++) {
            TestClient client = clients.get(random.nextInt(clients.size()));
            String name = client.hardwareAddress().toString();
            if (!client.isBound()) {
                Optional<DhcpMessage> offer = client.tryDiscover(null, false);
                offer.filter(o -> Replies.type(o) == MessageType.OFFER).flatMap(client::select)
                        .filter(r -> Replies.type(r) == MessageType.ACK)
                        .ifPresent(ack -> claim(holders, violations, ack.yiaddr(), name));
            } else if (random.nextInt(3) == 0) {
                Ipv4Address address = client.binding().address();
                holders.remove(address, name);   // before the RELEASE, so nobody is blamed for taking it after
                client.release();
            } else {
                client.renew().filter(r -> Replies.type(r) == MessageType.ACK)
                        .ifPresent(ack -> claim(holders, violations, ack.yiaddr(), name));
            }
        }
    }

    private static void claim(Map<Ipv4Address, String> holders, List<String> violations, Ipv4Address address, String client) {
        String before = holders.putIfAbsent(address, client);
        if (before != null && !before.equals(client)) {
            violations.add(address + " acknowledged to " + client + " while " + before + " holds it");
        }
    }

    /** The in-memory store, with each write's completion handed to another thread, as the journal's are. */
    private static final class AsyncStore extends ForwardingLeaseStore {
        private final ExecutorService writer;

        AsyncStore(ExecutorService writer) {
            super(new InMemoryLeaseStore());
            this.writer = writer;
        }

        @Override
        public CompletableFuture<PutResult> put(Lease lease, Instant now) {
            return delegate.put(lease, now).thenApplyAsync(r -> r, writer);
        }
    }
}
