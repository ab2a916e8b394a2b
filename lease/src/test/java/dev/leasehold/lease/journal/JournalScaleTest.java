package dev.leasehold.lease.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3: "Restart with 1 M leases in under 5 s", with an index small enough that a million
 * leases fit well under 256 MB of heap. The reopen runs in a fresh JVM limited to 256 MB, so the
 * heap bound is tested, not just measured, and the figure includes a cold JIT.
 */
class JournalScaleTest {

    static final int LEASES = 1_000_000;

    @TempDir
    Path folder;

    @Test
    @Timeout(120)
    void aMillionLeasesReopenInUnderFiveSecondsInA256MegabyteHeap() throws Exception {
        Path data = folder.resolve("data");
        JournalMeasurements.fill(data, LEASES);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                JournalMeasurements.class.getName(), "open", data.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        Matcher figures = Pattern.compile("OPEN leases=(\\d+) ms=(\\d+) heapBytes=(\\d+)").matcher(output);
        assertThat(figures.find()).as(output).isTrue();
        long leases = Long.parseLong(figures.group(1));
        long openMillis = Long.parseLong(figures.group(2));
        long heapBytes = Long.parseLong(figures.group(3));
        System.out.printf("1M leases reopened in %d ms in a 256 MB heap; index %.1f MB (%d bytes per lease)%n",
                openMillis, heapBytes / 1e6, heapBytes / LEASES);
        assertThat(leases).isEqualTo(LEASES);
        assertThat(openMillis).isLessThan(5_000);
        assertThat(heapBytes).isLessThan(200L << 20);
    }
}
