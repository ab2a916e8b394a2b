package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §3, durable before acknowledged: SIGKILL the server in the middle of a load, and every
 * DHCPACK a client saw must still be in the journal, no address given to two clients, and the
 * restarted server must honour those leases.
 */
class CrashRecoveryTest {

    private static final Duration STEP = Duration.ofMillis(500);
    private static final int LOAD_THREADS = 4;
    private static final int MAX_CLIENTS_PER_THREAD = 5_000;

    @TempDir
    Path dir;

    @Test
    void killDashNineUnderLoadLosesNoAcknowledgedLease() throws Exception {
        int port = ServerProcess.freePort();
        Path config = dir.resolve("leasehold.yaml");
        Path data = dir.resolve("data");
        Files.writeString(config, """
                listen: {address: 127.0.0.1, port: %d}
                data-directory: %s
                durability: batch
                valid-lifetime: 3600
                subnets:
                  - id: 1
                    subnet: 198.18.0.0/16
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 198.18.0.10-198.18.255.250}]
                """.formatted(port, data));
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        Map<HardwareAddress, Ipv4Address> acked = new ConcurrentHashMap<>();

        try (ServerProcess server = ServerProcess.start(config)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < LOAD_THREADS; t++) {
                int thread = t;
                load.add(Thread.ofPlatform().start(() -> runLoad(thread, at, acked, stop)));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (acked.size() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            server.kill();
            stop.set(true);
            for (Thread t : load) {
                t.join(Duration.ofSeconds(10));
            }
            assertThat(acked).as("ACKs seen before the kill").hasSizeGreaterThanOrEqualTo(300);
        }

        try (JournalLeaseStore store = JournalLeaseStore.open(data, DurabilityPolicy.BATCH)) {
            for (var e : acked.entrySet()) {
                Optional<Lease> lease = store.get(e.getValue());
                assertThat(lease).as("lease of %s at %s", e.getKey(), e.getValue()).isPresent();
                assertThat(lease.get().hardwareAddress()).isEqualTo(e.getKey());
                assertThat(lease.get().state()).isEqualTo(LeaseState.ACTIVE);
            }
            Map<Ipv4Address, HardwareAddress> byAddress = new HashMap<>();
            acked.forEach((mac, address) -> assertThat(byAddress.put(address, mac)).as("second client on " + address).isNull());
        }

        try (ServerProcess server = ServerProcess.start(config)) {
            int checked = 0;
            for (var e : acked.entrySet()) {
                if (checked++ == 25) {
                    break;
                }
                try (RelayPathClient c = client(at, e.getKey())) {
                    Optional<DhcpMessage> reply = c.exchange(c.messages().requestInitReboot(c.newXid(), e.getValue()), Duration.ofSeconds(2));
                    assertThat(reply.flatMap(DhcpMessage::messageType)).as("INIT-REBOOT of " + e.getKey()).hasValue(MessageType.ACK);
                }
            }
            try (RelayPathClient fresh = client(at, HardwareAddress.parseEthernet("02:ff:ff:ff:ff:01"))) {
                Binding b = fresh.obtain(null, Duration.ofSeconds(2)).orElseThrow();
                assertThat(acked).doesNotContainValue(b.address());
            }
        }
    }

    private static void runLoad(int thread, InetSocketAddress at, Map<HardwareAddress, Ipv4Address> acked, AtomicBoolean stop) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < MAX_CLIENTS_PER_THREAD && !stop.get() && System.nanoTime() < deadline; i++) {
            HardwareAddress mac = new HardwareAddress(1, new byte[] {2, 0, (byte) thread, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
            try (RelayPathClient c = client(at, mac)) {
                c.obtain(null, STEP).ifPresent(b -> acked.put(mac, b.address()));
            } catch (Exception e) {
                return;
            }
        }
    }

    private static RelayPathClient client(InetSocketAddress at, HardwareAddress mac) throws Exception {
        return RelayPathClient.open(Ipv4Address.parse("127.0.0.1"), at,
                new ClientMessages(mac, null, null, ClientMessages.RelayFields.NONE),
                RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC());
    }
}
