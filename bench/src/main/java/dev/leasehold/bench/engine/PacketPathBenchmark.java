package dev.leasehold.bench.engine;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.server.DhcpServer;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.InMemoryTransport;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's whole per-packet path in process: received bytes → decode → engine → reply
 * destination → encode → the transport's send, with {@link DhcpServer#handle} fed pre-encoded
 * client packets and an {@link InMemoryTransport} taking the replies (no sockets, no fsync: the
 * {@link InMemoryLeaseStore}). What a packet costs the server in user space, beside what the
 * kernel charges for its syscalls, which the LAN benchmark (bench/run.sh) measures.
 *
 * <ul>
 * <li>{@code discoverOffer}: a relayed DISCOVER → OFFER, then the client's REQUEST naming another
 *     server withdraws the offer (two packets in, one reply out);</li>
 * <li>{@code renewAck}: a unicast RENEWING REQUEST → ACK for a bound client (one packet in, one
 *     lease write, one reply out).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PacketPathBenchmark {

    private static final int CLIENTS = 16_384;
    private static final Ipv4Address RELAY = Ipv4Address.parse("10.0.0.2");
    private static final InetSocketAddress RELAY_SOURCE = new InetSocketAddress("10.0.0.2", 67);
    private static final InboundDatagram.Arrival ARRIVAL =
            new InboundDatagram.Arrival("", 0, BenchClients.SERVER, false);

    private final FakeClock clock = FakeClock.standing();
    private final InMemoryTransport transport = new InMemoryTransport();
    private InMemoryLeaseStore store;
    private DhcpEngine engine;
    private DhcpServer server;
    private InboundDatagram[] discovers;
    private InboundDatagram[] withdrawals;
    private InboundDatagram[] renewals;
    private int nextNewcomer;
    private int nextRegular;

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryLeaseStore();
        engine = BenchClients.slash16Engine(store, clock);
        server = new DhcpServer(transport, engine, clock, 1024);
        discovers = new InboundDatagram[CLIENTS];
        withdrawals = new InboundDatagram[CLIENTS];
        renewals = new InboundDatagram[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            ClientMessages newcomer = relayed(i, 0x01);
            discovers[i] = datagram(newcomer.discover(i, null, false));
            withdrawals[i] = datagram(newcomer.requestSelecting(i, BenchClients.OTHER_SERVER, RELAY));
            ClientMessages regular = relayed(i, 0x02);
            DhcpMessage offer = exchange(datagram(regular.discover(i, null, false)));
            DhcpMessage ack = exchange(datagram(regular.requestSelecting(i, BenchClients.SERVER, offer.yiaddr())));
            renewals[i] = datagram(regular.requestRenew(i, ack.yiaddr()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
        store.close();
    }

    private static ClientMessages relayed(long n, int prefix) {
        return new ClientMessages(BenchClients.mac(n, prefix), null, null,
                new ClientMessages.RelayFields(RELAY, new byte[] {1, 2, 3, 4}, false));
    }

    private static InboundDatagram datagram(DhcpMessage message) {
        byte[] bytes = DhcpCodec.encode(message);
        return new InboundDatagram(bytes, bytes.length, RELAY_SOURCE, ARRIVAL);
    }

    private DhcpMessage exchange(InboundDatagram request) {
        server.handle(request);
        OutboundDatagram reply = onlyReply();
        try {
            return DhcpCodec.decode(reply.payload(), 0, reply.length());
        } catch (dev.leasehold.wire.MalformedMessageException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public int discoverOffer() {
        int i = nextNewcomer++ & (CLIENTS - 1);
        if (i == 0) {
            BenchClients.reclaimOffers(engine, clock);
        }
        server.handle(discovers[i]);
        server.handle(withdrawals[i]);
        return oneReply();
    }

    @Benchmark
    public int renewAck() {
        server.handle(renewals[nextRegular++ & (CLIENTS - 1)]);
        return oneReply();
    }

    /** The length of the one reply sent, for JMH to consume. */
    private int oneReply() {
        return onlyReply().length();
    }

    /** The one reply sent since the last call; fails the benchmark when there was none or more. */
    private OutboundDatagram onlyReply() {
        List<OutboundDatagram> sent = transport.drainSent();
        if (sent.size() != 1) {
            throw new IllegalStateException("expected one reply, got " + sent.size());
        }
        return sent.getFirst();
    }
}
