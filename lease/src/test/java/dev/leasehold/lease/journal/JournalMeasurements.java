package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Figures for the journal store, runnable by hand with the test class path:
 * <pre>
 *   java -cp ... dev.leasehold.lease.journal.JournalMeasurements fill DIR COUNT
 *   java -Xmx256m -cp ... dev.leasehold.lease.journal.JournalMeasurements open DIR [TIMES]
 *   java -cp ... dev.leasehold.lease.journal.JournalMeasurements throughput DIR POLICY THREADS SECONDS
 * </pre>
 * {@code fill} writes COUNT leases (policy NONE, then a forced close); {@code open} reopens and
 * prints the open time and the heap the index takes after a full GC; {@code throughput} runs
 * THREADS callers that each put and await one lease at a time, as DHCP request handlers do, and
 * prints puts per second, the mean group size and fsync latency.
 */
public final class JournalMeasurements {

    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private JournalMeasurements() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fill" -> fill(Path.of(args[1]), Integer.parseInt(args[2]));
            case "open" -> {
                int times = args.length > 2 ? Integer.parseInt(args[2]) : 1;
                for (int i = 0; i < times; i++) {
                    open(Path.of(args[1]));
                }
            }
            case "throughput" -> throughput(Path.of(args[1]), DurabilityPolicy.valueOf(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("fill | open | throughput, not " + args[0]);
        }
    }

    static Lease lease(int n, long seq) {
        byte[] mac = {0x02, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        byte[] id = {1, 0x02, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        return new Lease(new Ipv4Address(0x0A000000 + n), new ClientId(id), new HardwareAddress(1, mac), 1,
                LeaseState.ACTIVE, NOW, NOW.plusSeconds(3600 + seq), "host-" + n);
    }

    static void fill(Path dir, int count) throws Exception {
        long start = System.nanoTime();
        try (JournalLeaseStore store = JournalLeaseStore.open(dir, JournalOptions.of(DurabilityPolicy.NONE))) {
            CompletableFuture<PutResult> last = null;
            for (int n = 1; n <= count; n++) {
                last = store.put(lease(n, 0), NOW);
            }
            if (!(last.join() instanceof PutResult.Stored)) {
                throw new IllegalStateException("last put: " + last.join());
            }
        }
        System.out.printf("FILL count=%d ms=%d bytes=%d%n", count, (System.nanoTime() - start) / 1_000_000,
                Files.size(dir.resolve(JournalLeaseStore.JOURNAL_FILE)));
    }

    static void open(Path dir) throws Exception {
        long before = usedHeapAfterGc();
        try (JournalLeaseStore store = JournalLeaseStore.open(dir, JournalOptions.defaults())) {
            long after = usedHeapAfterGc();
            System.out.printf("OPEN leases=%d ms=%d heapBytes=%d maxHeap=%d%n", store.size(),
                    store.openNanos() / 1_000_000, after - before, Runtime.getRuntime().maxMemory());
        }
    }

    static void throughput(Path dir, DurabilityPolicy policy, int threads, int seconds) throws Exception {
        LongAdder stored = new LongAdder();
        try (JournalLeaseStore store = JournalLeaseStore.open(dir, JournalOptions.of(policy))) {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * 100_000;
                workers.add(Thread.ofVirtual().start(() -> {
                    for (long seq = 1; System.nanoTime() < deadline; seq++) {
                        int n = base + (int) (seq % 1000);
                        if (store.put(lease(n, seq), NOW).join() instanceof PutResult.Stored) {
                            stored.increment();
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long fsyncs = store.fsyncCount();
            System.out.printf("THROUGHPUT policy=%s threads=%d puts=%d putsPerSecond=%.0f groups=%d"
                            + " meanGroup=%.1f fsyncs=%d meanFsyncMicros=%.0f maxFsyncMicros=%d compactions=%d lastCompactionPauseMicros=%d%n",
                    policy, threads, stored.sum(), stored.sum() / elapsed, store.batchCount(),
                    store.writesCommitted() / (double) Math.max(1, store.batchCount()), fsyncs,
                    fsyncs == 0 ? 0.0 : store.totalFsyncNanos() / 1e3 / fsyncs, store.maxFsyncNanos() / 1000,
                    store.compactionCount(), store.lastCompactionPauseNanos() / 1000);
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
