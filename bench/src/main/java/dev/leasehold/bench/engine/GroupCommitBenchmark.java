package dev.leasehold.bench.engine;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.lease.journal.JournalLeaseStore;
import dev.leasehold.lease.journal.JournalOptions;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The journal's group commit: {@code @Threads} writers each put a lease and wait for it to be
 * durable, as the server's completions do, against a real file in {@code java.io.tmpdir} (so
 * the figure is the disk's: run it on the disk the server will use). Reported besides puts/s:
 * the fsyncs each put cost (1 without grouping), from the store's
 * own counters, printed after each iteration.
 *
 * <p>{@code window} is {@link JournalOptions#groupWindow()}: 0 groups only what queued during
 * the previous force; 1 ms waits that long for company once there is load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Threads(32)
public class GroupCommitBenchmark {

    @Param({"batch"})
    public String durability;

    @Param({"0", "1"})
    public int windowMillis;

    private Path directory;
    private JournalLeaseStore store;
    private final AtomicInteger nextAddress = new AtomicInteger();
    private final Instant now = Instant.parse("2026-11-28T00:00:00Z");
    private long forcesAtStart;
    private long putsAtStart;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("leasehold-groupcommit");
        JournalOptions options = JournalOptions.of(DurabilityPolicy.valueOf(durability.toUpperCase()))
                .withGroupWindow(Duration.ofMillis(windowMillis));
        store = JournalLeaseStore.open(directory, options);
    }

    @Setup(Level.Iteration)
    public void mark() {
        forcesAtStart = store.fsyncCount();
        putsAtStart = nextAddress.get();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public PutResult put() {
        int n = nextAddress.getAndIncrement();
        HardwareAddress mac = new HardwareAddress(1, new byte[] {2, 0, (byte) (n >>> 24), (byte) (n >>> 16),
                (byte) (n >>> 8), (byte) n});
        Lease lease = new Lease(new Ipv4Address(0x0A000000 | (n & 0x00FFFFFF)), ClientId.of(mac), mac, 1,
                LeaseState.ACTIVE, now, now.plusSeconds(3600), "");
        return store.put(lease, now).join();
    }

    @TearDown(Level.Iteration)
    public void report() {
        long forces = store.fsyncCount() - forcesAtStart;
        long puts = nextAddress.get() - putsAtStart;
        System.out.printf("%n  forces per put: %.3f (%d forces, %d puts)%n", puts == 0 ? 0.0 : (double) forces / puts,
                forces, puts);
    }
}
