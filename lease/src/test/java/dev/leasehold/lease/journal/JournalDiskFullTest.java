package dev.leasehold.lease.journal;

import static dev.leasehold.lease.journal.JournalFixtures.T0;
import static dev.leasehold.lease.journal.JournalFixtures.address;
import static dev.leasehold.lease.journal.JournalFixtures.lease;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.DurabilityPolicy;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.PutResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: a 256 KiB tmpfs mounted for the test (so it needs root), filled up with
 * a filler file while the store is open.
 */
class JournalDiskFullTest {

    @TempDir
    Path folder;

    @Test
    @Timeout(30)
    void aFullDiskFailsPutsCleanlyAndTheStoreRecoversWhenSpaceReturns() throws Exception {
        Path mountPoint = Files.createDirectory(folder.resolve("tiny"));
        mountTinyTmpfs(mountPoint);
        try {
            Path data = mountPoint.resolve("data");
            Path filler = mountPoint.resolve("filler");
            List<Lease> stored = new ArrayList<>();
            try (JournalLeaseStore store = JournalLeaseStore.open(data, JournalOptions.of(DurabilityPolicy.BATCH))) {
                for (int n = 1; n <= 20; n++) {
                    stored.add(storeOrFail(store, lease(n, 3600)));
                }
                fill(filler);

                // The journal's last page may still have room for a few records; keep going until
                // a put fails, which must happen well before 4 KiB more of journal.
                PutResult.Failed failed = null;
                int n = 21;
                for (; n <= 200 && failed == null; n++) {
                    PutResult result = put(store, lease(n, 3600));
                    switch (result) {
                        case PutResult.Stored s -> stored.add(s.lease());
                        case PutResult.Failed f -> failed = f;
                        case PutResult.Conflict c -> throw new AssertionError("unexpected " + c);
                    }
                }
                assertThat(failed).as("a put on a full disk fails").isNotNull();
                int refused = n - 1;
                assertThat(failed.reason()).contains("cannot write the lease journal", "No space left on device");
                assertThat(failed.cause()).isInstanceOf(IOException.class);
                assertThat(store.health().writable()).isFalse();
                assertThat(store.health().detail()).contains("No space left on device");
                // Not in the index either: the address is free again, nobody holds it.
                assertThat(store.get(address(refused))).isEmpty();
                assertThat(store.writesFailed()).isPositive();
                // Nothing half-written: the file ends at the last committed record.
                assertThat(Files.size(store.journalFile())).isEqualTo(store.journalBytes());
                // A renewal of a stored lease cannot be written either, and leaves the old one.
                assertThat(put(store, lease(1, 7200))).isInstanceOf(PutResult.Failed.class);
                assertThat(store.get(address(1))).contains(lease(1, 3600));

                Files.delete(filler);

                Lease afterRecovery = lease(refused, 3600);
                assertThat(put(store, afterRecovery)).isEqualTo(new PutResult.Stored(afterRecovery));
                stored.add(afterRecovery);
                assertThat(store.health().writable()).isTrue();
            }
            try (JournalLeaseStore reopened = JournalLeaseStore.open(data, JournalOptions.defaults())) {
                assertThat(reopened.tornBytesDiscarded()).as("the journal was never left torn").isZero();
                assertThat(reopened.size()).isEqualTo(stored.size());
                for (Lease lease : stored) {
                    assertThat(reopened.get(lease.address())).contains(lease);
                }
            }
        } finally {
            unmount(mountPoint);
        }
    }

    private static Lease storeOrFail(JournalLeaseStore store, Lease lease) {
        assertThat(put(store, lease)).isEqualTo(new PutResult.Stored(lease));
        return lease;
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
