package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 *   java -cp ... dev.leasehold.lease.journal.JournalMeasurements throughput DIR POLICY THREADS SECONDS [WINDOW_US PREALLOC]
 *   java -cp ... dev.leasehold.lease.journal.JournalMeasurements rate DIR POLICY PUTS_PER_SECOND SECONDS [WINDOW_US PREALLOC]
 * </pre>
 * {@code fill} writes COUNT leases (policy NONE, then a forced close); {@code open} reopens and
 * prints the open time and the heap the index takes after a full GC; {@code throughput} runs
 * THREADS callers that each put and await one lease at a time, as DHCP request handlers do, and
 * prints puts per second, the mean group size and fsync latency; {@code rate} issues puts at a
 * fixed rate instead, as a DHCP server sees them. Both print fsyncs and CPU time per put; the
 * optional arguments set the group window in µs and the preallocation chunk in bytes.
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
            case "throughput" -> throughput(Path.of(args[1]), options(args), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "rate" -> rate(Path.of(args[1]), options(args), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("fill | open | throughput | rate, not " + args[0]);
        }
    }

    /** POLICY from args[2], then optional group window (µs) and preallocation (bytes) from args[5] and args[6]. */
    private static JournalOptions options(String[] args) {
        JournalOptions options = JournalOptions.of(DurabilityPolicy.valueOf(args[2]));
        if (args.length > 5) {
            options = options.withGroupWindow(java.time.Duration.ofNanos(Long.parseLong(args[5]) * 1000));
        }
        if (args.length > 6) {
            options = options.withPreallocationBytes(Long.parseLong(args[6]));
        }
        return options;
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
        System.out.printf("FILL count=%d ms=%d fileBytes=%d%n", count, (System.nanoTime() - start) / 1_000_000,
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

    static void throughput(Path dir, JournalOptions options, int threads, int seconds) throws Exception {
        DurabilityPolicy policy = options.durability();
        LongAdder stored = new LongAdder();
        try (JournalLeaseStore store = JournalLeaseStore.open(dir, options)) {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            long writerCpuStart = writerCpuNanos();
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
            long cpu = processCpuNanos() - cpuStart;
            long writerCpu = writerCpuNanos() - writerCpuStart;
            long fsyncs = store.fsyncCount();
            System.out.printf("THROUGHPUT policy=%s threads=%d puts=%d putsPerSecond=%.0f groups=%d"
                            + " meanGroup=%.1f fsyncs=%d meanFsyncMicros=%.0f maxFsyncMicros=%d compactions=%d lastCompactionPauseMicros=%d%n",
                    policy, threads, stored.sum(), stored.sum() / elapsed, store.batchCount(),
                    store.writesCommitted() / (double) Math.max(1, store.batchCount()), fsyncs,
                    fsyncs == 0 ? 0.0 : store.totalFsyncNanos() / 1e3 / fsyncs, store.maxFsyncNanos() / 1000,
                    store.compactionCount(), store.lastCompactionPauseNanos() / 1000);
            System.out.printf("CPU fsyncsPerPut=%.3f processCpuMicrosPerPut=%.1f writerCpuMicrosPerPut=%.1f%n",
                    fsyncs / (double) Math.max(1, stored.sum()), cpu / 1e3 / Math.max(1, stored.sum()),
                    writerCpu / 1e3 / Math.max(1, stored.sum()));
        }
    }

    /**
     * An open-loop load like a DHCP server's: puts issued at a fixed total rate (spread over 256
     * virtual threads, each taking every 256th time slot), whatever the store's latency, so that
     * the group size is what that rate gives rather than what a closed loop of callers forces.
     */
    static void rate(Path dir, JournalOptions options, int putsPerSecond, int seconds) throws Exception {
        int callers = 256;
        long total = (long) putsPerSecond * seconds;
        long interval = 1_000_000_000L / putsPerSecond;
        LongAdder stored = new LongAdder();
        LongAdder latencyNanos = new LongAdder();
        try (JournalLeaseStore store = JournalLeaseStore.open(dir, options)) {
            long start = System.nanoTime() + 50_000_000L;
            long cpuStart = processCpuNanos();
            long writerCpuStart = writerCpuNanos();
            long fsyncStart = store.fsyncCount();
            long groupStart = store.batchCount();
            List<Thread> workers = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                workers.add(Thread.ofVirtual().start(() -> {
                    for (long slot = caller; slot < total; slot += callers) {
                        long due = start + slot * interval;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        long t0 = System.nanoTime();
                        if (store.put(lease((int) (slot % 50_000) + 1, slot), NOW).join() instanceof PutResult.Stored) {
                            stored.increment();
                            latencyNanos.add(System.nanoTime() - t0);
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long puts = Math.max(1, stored.sum());
            long fsyncs = store.fsyncCount() - fsyncStart;
            long groups = store.batchCount() - groupStart;
            System.out.printf("RATE target=%d putsPerSecond=%.0f puts=%d groups=%d meanGroup=%.1f fsyncsPerPut=%.3f"
                            + " meanFsyncMicros=%.0f meanPutMicros=%.0f processCpuMicrosPerPut=%.1f"
                            + " writerCpuMicrosPerPut=%.1f%n",
                    putsPerSecond, stored.sum() / elapsed, stored.sum(), groups, stored.sum() / (double) Math.max(1, groups),
                    fsyncs / (double) puts, fsyncs == 0 ? 0.0 : store.totalFsyncNanos() / 1e3 / store.fsyncCount(),
                    latencyNanos.sum() / 1e3 / puts, (processCpuNanos() - cpuStart) / 1e3 / puts,
                    (writerCpuNanos() - writerCpuStart) / 1e3 / puts);
        }
    }

    /** User + system CPU of the whole process (callers, writer, GC and JIT alike). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU of the journal's writer thread so far, or 0 when it is not running. */
    static long writerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("lease-journal-writer")) {
                return Math.max(0, threads.getThreadCpuTime(thread.threadId()));
            }
        }
        return 0;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
