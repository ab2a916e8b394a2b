package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.InMemoryTransport;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The optional ping check (RFC 2131 §4.4.1: a server SHOULD probe an address before allocating
 * it): an address that answers is held out and the client is offered another one.
 */
class PingCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final InboundDatagram.Arrival ETH0 = new InboundDatagram.Arrival("eth0", 2,
            Ipv4Address.parse("10.0.0.1"), true);
    private static final String CONFIG = """
            allocation: iterative
            ping-check: 300ms
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                pools: [{range: 10.0.0.100-10.0.0.110}]
            """;

    private final FakeClock clock = FakeClock.standing();
    private final InMemoryTransport transport = new InMemoryTransport();
    private final List<Ipv4Address> probed = new CopyOnWriteArrayList<>();
    private DhcpServer server;

    private DhcpEngine start(Set<Ipv4Address> answering) throws Exception {
        DhcpEngine engine = DhcpEngine.start(ConfigLoader.parse(CONFIG, "ping.yaml"), new InMemoryLeaseStore(), clock,
                new SplittableRandom(1));
        AddressProber prober = (address, timeout) -> {
            probed.add(address);
            assertThat(timeout).isEqualTo(Duration.ofMillis(300));
            return CompletableFuture.completedFuture(answering.contains(address));
        };
        server = new DhcpServer(transport, engine, clock, 64, prober, Duration.ofMillis(300), Runnable::run);
        return engine;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DhcpMessage discover(String mac) throws Exception {
        ClientMessages client = new ClientMessages(HardwareAddress.parseEthernet(mac), null, null,
                ClientMessages.RelayFields.NONE);
        transport.inject(DhcpCodec.encode(client.discover(42, null, false)), new InetSocketAddress("0.0.0.0", 68), ETH0);
        OutboundDatagram sent = transport.awaitSent(WAIT).orElseThrow();
        return DhcpCodec.decode(sent.payload(), 0, sent.length());
    }

    @Test
    void addressThatAnswersAPingIsHeldOutAndAnotherOffered() throws Exception {
        DhcpEngine engine = start(Set.of(Ipv4Address.parse("10.0.0.100")));
        server.start();

        DhcpMessage offer = discover("02:00:00:00:00:01");

        assertThat(offer.messageType()).contains(MessageType.OFFER);
        assertThat(offer.yiaddr()).isEqualTo(Ipv4Address.parse("10.0.0.101"));
        assertThat(probed).containsExactly(Ipv4Address.parse("10.0.0.100"), Ipv4Address.parse("10.0.0.101"));
        assertThat(engine.counters().conflictCount()).isEqualTo(1);
        // The conflicting address stays out of the pool for the next client too.
        assertThat(discover("02:00:00:00:00:02").yiaddr()).isEqualTo(Ipv4Address.parse("10.0.0.102"));
    }

    @Test
    void silentAddressIsOfferedAfterOneProbe() throws Exception {
        start(Set.of());
        server.start();

        assertThat(discover("02:00:00:00:00:03").yiaddr()).isEqualTo(Ipv4Address.parse("10.0.0.100"));
        assertThat(probed).hasSize(1);
    }

    @Test
    void afterThreeConflictsInARowTheFourthAddressIsOfferedUnprobed() throws Exception {
        start(Set.of(Ipv4Address.parse("10.0.0.100"), Ipv4Address.parse("10.0.0.101"), Ipv4Address.parse("10.0.0.102"),
                Ipv4Address.parse("10.0.0.103")));
        server.start();

        assertThat(discover("02:00:00:00:00:04").yiaddr()).isEqualTo(Ipv4Address.parse("10.0.0.103"));
        assertThat(probed).hasSize(3);
    }
}
