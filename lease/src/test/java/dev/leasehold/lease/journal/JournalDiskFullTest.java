package dev.leasehold.lease.journal;

import static dev.leasehold.lease.journal.JournalFixtures.T0;
import static dev.leasehold.lease.journal.JournalFixtures.address;
import static dev.leasehold.lease.journal.JournalFixtures.lease;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real (issue 3, "Disk full"): a 256 KiB tmpfs mounted for the test (so it needs
 * root), filled up with a filler file while the store is open.
 */
class JournalDiskFullTest {

    @TempDir
    Path folder;

    @Test
    @Timeout(30)
    void aFullDiskKeepsRenewalsGoingOnTheReserveFailsCleanlyWhenThatIsGoneAndRecovers() throws Exception {
        // The default 1 MiB chunk never fits on this disk: every extension fails, the journal grows by appends.
        fillTheDiskUnderAStore(JournalOptions.DEFAULT_PREALLOCATION_BYTES);
    }

    @Test
    @Timeout(30)
    void zerosWrittenAheadAreUsedUpBeforeTheDiskCountsAsFull() throws Exception {
        // An 8 KiB chunk fits: the journal runs into its zeros first, then extension and the write fail.
        fillTheDiskUnderAStore(8 << 10);
    }

    private void fillTheDiskUnderAStore(long preallocationBytes) throws Exception {
        Path mountPoint = Files.createDirectory(folder.resolve("tiny"));
        mountTinyTmpfs(mountPoint);
        try {
            Path data = mountPoint.resolve("data");
            Path filler = mountPoint.resolve("filler");
            JournalOptions options = JournalOptions.of(DurabilityPolicy.BATCH).withReserveBytes(16 << 10)
                    .withPreallocationBytes(preallocationBytes);
            Map<Ipv4Address, Lease> stored = new HashMap<>();
            try (JournalLeaseStore store = JournalLeaseStore.open(data, options)) {
                for (int n = 1; n <= 20; n++) {
                    storeOrFail(store, lease(n, 3600), stored);
                }
                long fileBeforeFull = Files.size(store.journalFile());
                if (preallocationBytes < 64 << 10) {
                    assertThat(fileBeforeFull).as("zeros written ahead").isGreaterThan(store.journalBytes());
                }
                fill(filler);

                // New leases: the journal's last page may take a few, the reserve is then given up
                // for the group that hit the wall, and after that new leases are refused.
                PutResult.Failed refused = null;
                int n = 21;
                for (; n <= 400 && refused == null; n++) {
                    switch (put(store, lease(n, 3600))) {
                        case PutResult.Stored s -> stored.put(s.lease().address(), s.lease());
                        case PutResult.Failed f -> refused = f;
                        case PutResult.Conflict c -> throw new AssertionError("unexpected " + c);
                    }
                }
                assertThat(refused).as("a new lease on a full disk is refused").isNotNull();
                // Writes into the zeros need no new space: the records reached the file's old end
                // (less the one group that failed and was cut back) before a lease was refused.
                assertThat(store.journalBytes()).as("the zeros written ahead were used before the disk counted as full")
                        .isGreaterThan(fileBeforeFull - 200);
                assertThat(refused.reason()).contains("full", "only renewals");
                assertThat(store.get(address(n - 1))).as("refused, so not in the index").isEmpty();
                assertThat(store.health().writable()).isFalse();
                assertThat(store.health().detail()).contains("full");

                // Renewals of stored leases go on, written into the reserve's space...
                for (int renewal = 1; renewal <= 20; renewal++) {
                    storeOrFail(store, lease(renewal, 7200), stored);
                }
                // ...until that is gone too: then the write fails, and nothing half-written stays.
                PutResult.Failed failed = null;
                for (long seconds = 7201; seconds <= 12_000 && failed == null; seconds++) {
                    Lease renewal = lease(1, seconds);
                    switch (put(store, renewal)) {
                        case PutResult.Stored s -> stored.put(s.lease().address(), s.lease());
                        case PutResult.Failed f -> failed = f;
                        case PutResult.Conflict c -> throw new AssertionError("unexpected " + c);
                    }
                }
                assertThat(failed).as("a renewal fails once the reserve is used up").isNotNull();
                assertThat(failed.reason()).contains("cannot write the lease journal", "No space left on device");
                assertThat(failed.cause()).isInstanceOf(IOException.class);
                assertThat(store.health().detail()).contains("No space left on device");
                assertThat(store.get(address(1))).contains(stored.get(address(1)));
                assertThat(JournalFixtures.onlyZerosFrom(store.journalFile(), store.journalBytes()))
                        .as("nothing half-written is left after the records").isTrue();
                assertThat(store.writesFailed()).isPositive();

                Files.delete(filler);

                // The first refused new lease nudges the writer to look for space (twice a second at most).
                Lease afterRecovery = lease(1000, 3600);
                PutResult result = put(store, afterRecovery);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!(result instanceof PutResult.Stored) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    result = put(store, afterRecovery);
                }
                assertThat(result).isEqualTo(new PutResult.Stored(afterRecovery));
                stored.put(afterRecovery.address(), afterRecovery);
                assertThat(store.health().writable()).isTrue();
                assertThat(mountPoint.resolve("data").resolve(JournalLeaseStore.RESERVE_FILE)).hasSize(16 << 10);
            }
            try (JournalLeaseStore reopened = JournalLeaseStore.open(data, options)) {
                assertThat(reopened.tornBytesDiscarded()).as("the journal was never left torn").isZero();
                assertThat(reopened.size()).isEqualTo(stored.size());
                stored.forEach((address, lease) -> assertThat(reopened.get(address)).contains(lease));
            }
        } finally {
            unmount(mountPoint);
        }
    }

    private static void storeOrFail(JournalLeaseStore store, Lease lease, Map<Ipv4Address, Lease> stored) {
        assertThat(put(store, lease)).isEqualTo(new PutResult.Stored(lease));
        stored.put(lease.address(), lease);
    }

    private static PutResult put(JournalLeaseStore store, Lease lease) {
        return store.put(lease, T0).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Writes until the file system says it is full; bounded by the mount's size. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            if (!String.valueOf(expected.getMessage()).contains("No space left")) {
                throw expected;
            }
            return;
        }
        throw new AssertionError("a 256 KiB file system took 4 MiB");
    }

    private static void mountTinyTmpfs(Path mountPoint) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a tiny tmpfs to fill it needs root; running as " + System.getProperty("user.name"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        boolean done = mount.waitFor(10, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && mount.exitValue() == 0,
                "cannot mount a tmpfs here (no CAP_SYS_ADMIN?): " + output.strip());
    }

    private static void unmount(Path mountPoint) throws Exception {
        Process umount = new ProcessBuilder("umount", mountPoint.toString()).redirectErrorStream(true).start();
        String output = new String(umount.getInputStream().readAllBytes());
        if (!umount.waitFor(10, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            throw new IllegalStateException("could not unmount " + mountPoint + ": " + output);
        }
    }
}
