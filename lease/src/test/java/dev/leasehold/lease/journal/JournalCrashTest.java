package dev.leasehold.lease.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a stream of group commits: nothing the writer acknowledged is lost, and
 * no address ever went to two clients (DESIGN §3, durable before acknowledged).
 */
class JournalCrashTest {

    private record Acknowledged(int address, int client, long expiresSecond) {}

    @TempDir
    Path folder;

    @Test
    @Timeout(90)
    void sigkillMidStreamLosesNoAcknowledgedLeaseAndNeverDoublesAnAddress() throws Exception {
        Path data = folder.resolve("data");
        List<Acknowledged> acknowledged = new ArrayList<>();
        // Twice: the second run starts from the journal the first one was killed over.
        for (int run = 1; run <= 2; run++) {
            acknowledged.addAll(runAndKill(data, run));
            verify(data, acknowledged);
        }
    }

    private List<Acknowledged> runAndKill(Path data, int run) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The child's output goes to a file, so every line it printed before dying can be read after.
        Path output = folder.resolve("child-" + run + ".out");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                JournalCrashChild.class.getName(), data.toString(), "12", "500", "30",
                String.valueOf(run * 10_000_000L))
                .redirectOutput(output.toFile())
                .redirectError(folder.resolve("child-" + run + ".err").toFile())
                .start();
        boolean aliveWhenKilled;
        try {
            long killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < killAt && child.isAlive() && Files.size(output) < 4000 * 30) {
                Thread.sleep(20);
            }
            aliveWhenKilled = child.isAlive();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(aliveWhenKilled).as("the child was killed mid-stream, not after it finished").isTrue();
        List<String> lines = Files.readAllLines(output, StandardCharsets.US_ASCII);
        assertThat(lines).as("child started (see child-%d.err)", run).first().isEqualTo("READY");
        List<Acknowledged> acknowledged = new ArrayList<>();
        lines.forEach(line -> parse(line, acknowledged));
        assertThat(acknowledged).hasSizeGreaterThan(500);
        return acknowledged;
    }

    private static void verify(Path data, List<Acknowledged> acknowledged) throws Exception {
        Map<Integer, Integer> holder = new HashMap<>();
        for (Acknowledged ack : acknowledged) {
            Integer previous = holder.putIfAbsent(ack.address(), ack.client());
            assertThat(previous == null || previous == ack.client())
                    .as("address %s acknowledged to clients %s and %s", new Ipv4Address(ack.address()), previous,
                            ack.client())
                    .isTrue();
        }
        try (JournalLeaseStore store = JournalLeaseStore.open(data, JournalOptions.defaults())) {
            for (Acknowledged ack : acknowledged) {
                Lease lease = store.get(new Ipv4Address(ack.address())).orElse(null);
                assertThat(lease).as("acknowledged lease of %s", new Ipv4Address(ack.address())).isNotNull();
                assertThat(lease.clientId().bytes()[5]).isEqualTo((byte) ack.client());
                assertThat(lease.expiresAt().getEpochSecond()).isGreaterThanOrEqualTo(ack.expiresSecond());
            }
            System.out.printf("crash test: %d acknowledged puts, %d addresses, %d leases after restart,"
                    + " %d torn bytes discarded, journal %d bytes%n", acknowledged.size(), holder.size(),
                    store.size(), store.tornBytesDiscarded(), store.journalBytes());
        }
    }

    /** Keeps only complete lines: the last one may have been cut by the kill. */
    private static void parse(String line, List<Acknowledged> into) {
        String[] parts = line.split(" ");
        if (parts.length == 5 && parts[0].equals("STORED") && parts[4].equals("END")) {
            into.add(new Acknowledged(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3])));
        }
    }
}
