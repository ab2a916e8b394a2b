package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.JavaCommand;
import dev.leasehold.testkit.netns.NetnsLab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A lab does not outlive its JVM: a terminated JVM removes it in its shutdown hook, and the lab of
 * a JVM killed outright is removed by the next lab's start-up.
 */
@Tag("netns")
class LabCleanupAfterCrashTest {

    @Test
    void terminatedJvmRemovesItsLabInTheShutdownHook() throws Exception {
        assumeLabAvailable();
        Process child = startHoldLab();
        String id = labIdPrintedBy(child);
        assertThat(namespacesOf(id)).isNotEmpty();

        child.destroy(); // SIGTERM: shutdown hooks run
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(namespacesOf(id)).isEmpty();
    }

    @Test
    void killedJvmsLabIsRemovedByTheNextLab() throws Exception {
        assumeLabAvailable();
        Process child = startHoldLab();
        String id = labIdPrintedBy(child);

        child.destroyForcibly(); // SIGKILL: no hook runs, the namespaces stay behind
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(namespacesOf(id)).isNotEmpty();

        try (NetnsLab next = NetnsLab.create(0)) {
            assertThat(namespacesOf(id)).isEmpty();
            assertThat(namespacesOf(next.id())).isNotEmpty();
        } finally {
            NetnsLab.removeStaleLabs();
        }
    }

    private static Process startHoldLab() throws IOException {
        return new ProcessBuilder(JavaCommand.ofCurrentJvm().main(HoldLab.class.getName()))
                .redirectErrorStream(true)
                .start();
    }

    /** Reads the child's output until it names its lab; bounded, and kills the child on failure. */
    private static String labIdPrintedBy(Process child) throws Exception {
        var reader = new BufferedReader(new InputStreamReader(child.getInputStream()));
        var line = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                StringBuilder seen = new StringBuilder();
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                    if (l.startsWith("lab ")) {
                        line.complete(l.substring(4).strip());
                        return;
                    }
                    seen.append(l).append('\n');
                }
                line.completeExceptionally(new AssertionError("child ended without a lab:\n" + seen));
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        });
        try {
            return line.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            child.destroyForcibly();
            throw e;
        }
    }

    private static List<String> namespacesOf(String labId) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(l -> l.split("\\s+")[0]).filter(n -> n.startsWith(labId + "-")).toList();
    }
}
