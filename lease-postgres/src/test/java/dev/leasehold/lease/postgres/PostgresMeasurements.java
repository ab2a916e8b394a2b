package dev.leasehold.lease.postgres;

import com.sun.management.OperatingSystemMXBean;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.testkit.postgres.ThrowawayPostgres;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Figures for the PostgreSQL store, runnable by hand with the test class path (as root it starts
 * its own throwaway PostgreSQL 15, fsync on):
 * <pre>
 *   java -cp ... dev.leasehold.lease.postgres.PostgresMeasurements PUTS_PER_SECOND SECONDS [without-feed]
 * </pre>
 * Issues puts at a fixed rate, as a DHCP server sees them, each a new lease, and prints puts per
 * second achieved, transactions (group commits) and WAL syncs per put (pg_stat_wal), CPU time
 * per put of this JVM and of the PostgreSQL server (postmaster and sessions, from /proc), and the
 * cost of a {@code get} from the local copy.
 */
public final class PostgresMeasurements {

    private PostgresMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        try (ThrowawayPostgres server = ThrowawayPostgres.start()) {
            server.createDatabase("measure");
            PostgresStoreConfig config = PostgresStoreConfig.of(server.jdbcUrl("measure"), ThrowawayPostgres.USER);
            try (PostgresLeaseStore store = PostgresLeaseStore.open(config, Clock.systemUTC())) {
                if (args.length > 2 && args[2].equals("without-feed")) {
                    // What the change feed's triggers cost: the same puts with them off.
                    server.psql("measure", "ALTER TABLE lease DISABLE TRIGGER USER");
                }
                measure(server, store, rate, seconds);
            }
        }
    }

    private static void measure(ThrowawayPostgres server, PostgresLeaseStore store, int rate, int seconds)
            throws Exception {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        long walSyncsBefore = walSyncs(server);
        long dbCpuBefore = cpuTicks(server.postmasterPid());
        long jvmCpuBefore = os.getProcessCpuTime();
        long transactionsBefore = store.transactionCount();
        Instant now = Instant.now();
        int total = rate * seconds;
        List<CompletableFuture<PutResult>> puts = new ArrayList<>(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + (long) i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            Lease lease = new Lease(Ipv4Address.ofLong(0x0A000000L + i), new ClientId(new byte[] {1, (byte) (i >> 16),
                    (byte) (i >> 8), (byte) i}), new HardwareAddress(1, new byte[] {2, 0, 0, (byte) (i >> 16),
                    (byte) (i >> 8), (byte) i}), 1, LeaseState.ACTIVE, now, now.plus(Duration.ofHours(1)), "h" + i);
            puts.add(store.put(lease, now));
        }
        long stored = puts.stream().filter(f -> f.orTimeout(60, TimeUnit.SECONDS).join() instanceof PutResult.Stored)
                .count();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long transactions = store.transactionCount() - transactionsBefore;
        long walSyncs = walSyncs(server) - walSyncsBefore;
        double dbCpuMicros = (cpuTicks(server.postmasterPid()) - dbCpuBefore) * 1e6 / 100;
        double jvmCpuMicros = (os.getProcessCpuTime() - jvmCpuBefore) / 1e3;
        System.out.printf("asked %d puts/s for %d s: %d stored in %.2f s (%.0f puts/s)%n", rate, seconds, stored,
                elapsed, stored / elapsed);
        System.out.printf("transactions per put %.3f (%d), WAL syncs per put %.3f (%d)%n",
                (double) transactions / stored, transactions, (double) walSyncs / stored, walSyncs);
        System.out.printf("CPU per put: PostgreSQL %.0f µs, this JVM %.0f µs (load generator included)%n",
                dbCpuMicros / stored, jvmCpuMicros / stored);
        Ipv4Address[] addresses = new Ipv4Address[total];
        for (int i = 0; i < total; i++) {
            addresses[i] = Ipv4Address.ofLong(0x0A000000L + i);
        }
        long found = 0;
        for (int round = 0; round < 50; round++) {
            long getStart = System.nanoTime();
            for (Ipv4Address address : addresses) {
                found += store.get(address).isPresent() ? 1 : 0;
            }
            if (round == 49) {
                System.out.printf("get from the local copy, after 49 rounds of warm-up: %.0f ns (%d found)%n",
                        (System.nanoTime() - getStart) / (double) total, found);
            }
        }
    }

    private static long walSyncs(ThrowawayPostgres server) throws IOException {
        return Long.parseLong(server.psql("measure", "SELECT wal_sync FROM pg_stat_wal").strip());
    }

    /**
     * CPU time in clock ticks (100 a second on Linux) of the postmaster, its live descendants
     * (utime + stime) and its ended children (the postmaster's cutime + cstime).
     */
    private static long cpuTicks(long pid) {
        return Stream.concat(Stream.of(ProcessHandle.of(pid).orElseThrow()),
                ProcessHandle.of(pid).orElseThrow().descendants()).mapToLong(p -> {
                    try {
                        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        return p.pid() == pid ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own;
                    } catch (IOException | RuntimeException e) {
                        return 0;
                    }
                }).sum();
    }
}
