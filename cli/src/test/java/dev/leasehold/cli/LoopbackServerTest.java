package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole server over real UDP on loopback, driven by relay-path clients: what `serve` runs. */
class LoopbackServerTest {

    private static final Duration STEP = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private Path configFile;
    private LeaseholdServer server;

    @BeforeEach
    void start() throws Exception {
        configFile = dir.resolve("leasehold.yaml");
        Files.writeString(configFile, config("192.0.2.1"));
        server = LeaseholdServer.start(configFile, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String config(String router) {
        return """
                listen: {address: 127.0.0.1, port: 0}
                data-directory: %s
                valid-lifetime: 600
                subnets:
                  - id: 7
                    subnet: 192.0.2.0/24
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 192.0.2.100-192.0.2.109}]
                    options: {routers: %s, domain-name-servers: [192.0.2.53]}
                """.formatted(dir.resolve("data"), router);
    }

    private RelayPathClient client(String mac) throws Exception {
        InetSocketAddress at = server.localAddress();
        return RelayPathClient.open(Ipv4Address.parse("127.0.0.1"), at,
                new ClientMessages(HardwareAddress.parseEthernet(mac), null, "host-" + mac.substring(15), ClientMessages.RelayFields.NONE),
                RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC());
    }

    @Test
    void relayedClientGetsLeaseThatIsStoredDurably() throws Exception {
        try (RelayPathClient c = client("02:00:00:00:01:01")) {
            Binding b = c.obtain(null, STEP).orElseThrow();

            assertThat(b.address().toString()).startsWith("192.0.2.10");
            assertThat(b.leaseTime()).isEqualTo(Duration.ofSeconds(600));
            assertThat(b.ack().options().get(3)).hasValue(Ipv4Address.parse("192.0.2.1").toBytes());
            Lease stored = server.store().get(b.address()).orElseThrow();
            assertThat(stored.state()).isEqualTo(LeaseState.ACTIVE);
            assertThat(stored.subnetId()).isEqualTo(7);
            assertThat(stored.hostname()).isEqualTo("host-01");
        }
    }

    @Test
    void renewalThenReleaseReturnsAddressWithAffinity() throws Exception {
        try (RelayPathClient c = client("02:00:00:00:01:02")) {
            Binding b = c.obtain(null, STEP).orElseThrow();
            DhcpMessage renewed = c.exchange(c.messages().requestRenew(c.newXid(), b.address()), STEP).orElseThrow();
            assertThat(renewed.messageType()).hasValue(MessageType.ACK);
            assertThat(renewed.yiaddr()).isEqualTo(b.address());

            c.send(c.messages().release(c.newXid(), b.address(), b.serverId()));
            awaitState(b.address(), LeaseState.RELEASED);

            Binding again = c.obtain(null, STEP).orElseThrow();
            assertThat(again.address()).isEqualTo(b.address());
        }
    }

    @Test
    void reloadAppliesNewOptionsAndRefusesBadFileKeepingOldOne() throws Exception {
        try (RelayPathClient c = client("02:00:00:00:01:03")) {
            Files.writeString(configFile, config("192.0.2.254"));
            assertThat(server.reload()).isTrue();
            Binding b = c.obtain(null, STEP).orElseThrow();
            assertThat(b.ack().options().get(3)).hasValue(Ipv4Address.parse("192.0.2.254").toBytes());

            Files.writeString(configFile, config("192.0.2.254").replace("192.0.2.109", "192.0.3.109"));
            assertThat(server.reload()).isFalse();
            DhcpMessage renewed = c.exchange(c.messages().requestRenew(c.newXid(), b.address()), STEP).orElseThrow();
            assertThat(renewed.messageType()).hasValue(MessageType.ACK);
            assertThat(server.config().subnets().getFirst().pools().getFirst().range().last())
                    .isEqualTo(Ipv4Address.parse("192.0.2.109"));
        }
    }

    @Test
    void leasesSurviveRestart() throws Exception {
        Ipv4Address address;
        try (RelayPathClient c = client("02:00:00:00:01:04")) {
            address = c.obtain(null, STEP).orElseThrow().address();
        }
        server.close();
        server = LeaseholdServer.start(configFile, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"));
        try (RelayPathClient c = client("02:00:00:00:01:04")) {
            Optional<DhcpMessage> reply = c.exchange(c.messages().requestInitReboot(c.newXid(), address), STEP);
            assertThat(reply.flatMap(DhcpMessage::messageType)).hasValue(MessageType.ACK);
            assertThat(reply.get().yiaddr()).isEqualTo(address);
        }
    }

    @Test
    void malformedDatagramIsCountedAndServiceGoesOn() throws Exception {
        try (var socket = java.nio.channels.DatagramChannel.open()) {
            socket.send(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), server.localAddress());
        }
        try (RelayPathClient c = client("02:00:00:00:01:05")) {
            assertThat(c.obtain(null, STEP)).isPresent();
        }
        assertThat(server.pipeline().malformedCount()).isEqualTo(1);
    }

    private void awaitState(Ipv4Address address, LeaseState state) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            if (server.store().get(address).map(Lease::state).orElse(null) == state) {
                return;
            }
            Thread.sleep(10);
        }
        assertThat(server.store().get(address).map(Lease::state)).hasValue(state);
    }
}
