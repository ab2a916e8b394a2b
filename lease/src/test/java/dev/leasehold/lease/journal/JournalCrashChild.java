package dev.leasehold.lease.journal;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link JournalCrashTest} kills: several clients race for a small range of addresses
 * under group commit, and every put whose future completed as stored is printed as
 * {@code STORED <address bits> <client> <expires epoch second> END}. Each client's leases end
 * later with every put, so a lease seen after restart must end at or after any printed one.
 *
 * <p>Arguments: data folder, number of client threads, addresses, seconds to run at most, and a
 * base for the lease end (each run passes a larger one, so ends keep growing across runs).
 */
public final class JournalCrashChild {

    /** Fixed "now": every lease runs long past it, so the first client to take an address keeps it. */
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private JournalCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int clients = Integer.parseInt(args[1]);
        int addresses = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        long endBase = Long.parseLong(args[4]);
        PrintStream out = new PrintStream(System.out, false);
        JournalLeaseStore store = JournalLeaseStore.open(folder, JournalOptions.of(DurabilityPolicy.BATCH)
                .withCompaction(64 << 10, 2.0));
        out.println("READY");
        out.flush();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 1; c <= clients; c++) {
            int client = c;
            Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(client);
                ClientId id = new ClientId(new byte[] {1, 2, 0, 0, 0, (byte) client});
                HardwareAddress mac = new HardwareAddress(1, new byte[] {2, 0, 0, 0, 0, (byte) client});
                for (long seq = 1; System.nanoTime() < deadline; seq++) {
                    int bits = 0x0A090000 + random.nextInt(addresses);
                    Lease lease = new Lease(new Ipv4Address(bits), id, mac, 1, LeaseState.ACTIVE, NOW,
                            NOW.plusSeconds(endBase + seq), "");
                    if (store.put(lease, NOW).join() instanceof PutResult.Stored) {
                        synchronized (out) {
                            out.println("STORED " + bits + " " + client + " " + lease.expiresAt().getEpochSecond() + " END");
                            out.flush();
                        }
                    }
                }
                done.countDown();
            });
        }
        done.await();
        store.close();
    }
}
