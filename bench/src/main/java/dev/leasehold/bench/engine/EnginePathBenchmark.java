package dev.leasehold.bench.engine;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.RequestContext;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
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
 * The engine's in-memory request path with the {@link InMemoryLeaseStore} (no codec, no sockets,
 * no fsync): what one request costs in decisions alone. Clients are a /16 pool's worth of
 * distinct MACs cycled through, so each operation meets a client in the state the previous
 * round left it in.
 *
 * <ul>
 * <li>{@code discoverOffer}: DISCOVER → OFFER for a client without a lease, then its REQUEST
 *     naming another server withdraws the offer (two engine calls, one reply);</li>
 * <li>{@code doraRelease}: DISCOVER → OFFER, REQUEST → ACK (a lease write), RELEASE: a whole
 *     stay, after the first round through the affinity path (three engine calls, two replies);</li>
 * <li>{@code renewAck}: REQUEST (RENEWING, ciaddr set) → ACK for a bound client: one call, one
 *     lease write.</li>
 * </ul>
 *
 * <p>Once per round of clients the fake clock moves past the offer hold and the reclaimer runs,
 * as it does every few seconds in a server: the engine forgets withdrawn offers only then.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class EnginePathBenchmark {

    private static final int CLIENTS = 16_384;

    private DhcpEngine engine;
    private InMemoryLeaseStore store;
    private final FakeClock clock = FakeClock.standing();
    private final RequestContext broadcast = new RequestContext(BenchClients.SERVER, "eth0", List.of(), true);
    private final RequestContext unicast = new RequestContext(BenchClients.SERVER, "eth0", List.of(), false);
    private ClientMessages[] newcomers;
    private ClientMessages[] regulars;
    private DhcpMessage[] renewals;
    private int nextNewcomer;
    private int nextRegular;
    private int xid;

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryLeaseStore();
        engine = BenchClients.slash16Engine(store, clock);
        newcomers = new ClientMessages[CLIENTS];
        regulars = new ClientMessages[CLIENTS];
        renewals = new DhcpMessage[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            newcomers[i] = BenchClients.client(i, 0x01);
            regulars[i] = BenchClients.client(i, 0x02);
            // Bind every regular once, so renewAck has leases to renew.
            DhcpMessage offer = BenchClients.reply(engine.handle(broadcast, regulars[i].discover(i, null, false)).join());
            DhcpMessage ack = BenchClients.reply(engine.handle(broadcast,
                    regulars[i].requestSelecting(i, BenchClients.SERVER, offer.yiaddr())).join());
            renewals[i] = regulars[i].requestRenew(i, ack.yiaddr());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    private ClientMessages newcomer() {
        int i = nextNewcomer++ & (CLIENTS - 1);
        if (i == 0) {
            BenchClients.reclaimOffers(engine, clock);
        }
        return newcomers[i];
    }

    @Benchmark
    public Ipv4Address discoverOffer() {
        ClientMessages c = newcomer();
        DhcpMessage offer = BenchClients.reply(engine.handle(broadcast, c.discover(xid++, null, false)).join());
        engine.handle(broadcast, c.requestSelecting(xid++, BenchClients.OTHER_SERVER, offer.yiaddr())).join();
        return offer.yiaddr();
    }

    @Benchmark
    public Ipv4Address doraRelease() {
        ClientMessages c = newcomer();
        DhcpMessage offer = BenchClients.reply(engine.handle(broadcast, c.discover(xid++, null, false)).join());
        DhcpMessage ack = BenchClients.reply(engine.handle(broadcast,
                c.requestSelecting(xid++, BenchClients.SERVER, offer.yiaddr())).join());
        if (ack.messageType().orElseThrow() != MessageType.ACK) {
            throw new IllegalStateException("expected an ACK: " + ack);
        }
        engine.handle(unicast, c.release(xid++, ack.yiaddr(), BenchClients.SERVER)).join();
        return ack.yiaddr();
    }

    @Benchmark
    public Ipv4Address renewAck() {
        DhcpMessage ack = BenchClients.reply(engine.handle(unicast, renewals[nextRegular++ & (CLIENTS - 1)]).join());
        if (ack.messageType().orElseThrow() != MessageType.ACK) {
            throw new IllegalStateException("expected an ACK: " + ack);
        }
        return ack.yiaddr();
    }
}
