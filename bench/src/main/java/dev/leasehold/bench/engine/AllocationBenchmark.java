package dev.leasehold.bench.engine;

import dev.leasehold.config.AllocationStrategy;
import dev.leasehold.engine.Decision;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.RequestContext;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding a free address must not cost more in a big, busy pool (issue 3, "Allocation at scale":
 * a /8 pool with 1 M leases allocates as fast as a /24). Each operation is one new client's
 * DISCOVER → OFFER, which allocates, followed by that client's REQUEST naming another server
 * (RFC 2131 §4.3.2), which withdraws the offer and frees the address, so the pool's fill level
 * stays where setup left it.
 *
 * <p>Pools: {@code /24} is 10.0.0.1-254 with 200 leases at random addresses (79% full);
 * {@code /8} is 10.0.0.1-10.255.255.254 with 1,000,000 leases at random addresses, all in the
 * {@link InMemoryLeaseStore}. The leases sit at random addresses so the iterative cursor keeps
 * meeting used slots, as a long-running server's does.
 *
 * <p>Measured on a shared 2-core machine the /8 case needs a longer warm-up than the /24 one:
 * its first seconds pay for the collection of the setup's garbage and the promotion of the
 * store's million leases, hence the explicit collection at the end of setup.
 *
 * <p>Once per round of clients the fake clock moves past the offer hold and the reclaimer runs,
 * as it does every few seconds in a server: the engine forgets withdrawn offers only then.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public class AllocationBenchmark {

    /** Distinct clients cycled through; each has no lease, so each DISCOVER allocates. */
    private static final int CLIENTS = 4096;

    @Param({"/24", "/8"})
    public String pool;

    @Param({"ITERATIVE", "RANDOM"})
    public AllocationStrategy strategy;

    private DhcpEngine engine;
    private InMemoryLeaseStore store;
    private FakeClock clock;
    private final RequestContext ctx = new RequestContext(BenchClients.SERVER, "eth0", List.of(), true);
    private DhcpMessage[] discovers;
    private DhcpMessage[] withdrawals;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        boolean big = pool.equals("/8");
        String subnet = big ? "10.0.0.0/8" : "10.0.0.0/24";
        Ipv4Address first = Ipv4Address.parse("10.0.0.1");
        long size = big ? (1L << 24) - 2 : 254;
        int leases = big ? 1_000_000 : 200;
        clock = FakeClock.standing();
        store = new InMemoryLeaseStore();
        SplittableRandom random = new SplittableRandom(2026);
        BitSet used = new BitSet((int) size);
        for (int n = 0; n < leases; n++) {
            int slot;
            do {
                slot = random.nextInt((int) size);
            } while (used.get(slot));
            used.set(slot);
            BenchClients.lease(store, Ipv4Address.ofLong(first.toLong() + slot), n, clock.instant());
        }
        engine = DhcpEngine.start(BenchClients.config("""
                valid-lifetime: 30d
                allocation: %s
                subnets:
                  - id: 1
                    subnet: %s
                    interface: eth0
                    pools: [{start: 10.0.0.1, end: %s}]
                """.formatted(strategy.name().toLowerCase(), subnet, Ipv4Address.ofLong(first.toLong() + size - 1))),
                store, clock, new SplittableRandom(7));
        discovers = new DhcpMessage[CLIENTS];
        withdrawals = new DhcpMessage[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            var client = BenchClients.client(i, 0x01);
            discovers[i] = client.discover(i, null, false);
            withdrawals[i] = client.requestSelecting(i, BenchClients.OTHER_SERVER, Ipv4Address.parse("10.0.0.1"));
        }
        // Setup leaves a million leases' worth of young garbage; collect it now, not in the first iterations.
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public Ipv4Address allocate() {
        int i = next++ & (CLIENTS - 1);
        if (i == 0) {
            BenchClients.reclaimOffers(engine, clock);
        }
        DhcpMessage offer = BenchClients.reply(engine.handle(ctx, discovers[i]).join());
        if (offer.messageType().orElseThrow() != MessageType.OFFER) {
            throw new IllegalStateException("expected an OFFER: " + offer);
        }
        Decision withdrawn = engine.handle(ctx, withdrawals[i]).join();
        if (!(withdrawn instanceof Decision.Drop)) {
            throw new IllegalStateException("a REQUEST naming another server must go unanswered: " + withdrawn);
        }
        return offer.yiaddr();
    }
}
