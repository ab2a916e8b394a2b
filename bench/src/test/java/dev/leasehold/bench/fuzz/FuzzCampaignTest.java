package dev.leasehold.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.leasehold.testkit.fuzz.HostilePackets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short fuzz runs of the test suite (the long one is {@link FuzzCampaign#main}, 10^7 cases):
 * structure-aware datagrams through the decoder and through the whole pipeline, every rule of
 * {@link DecoderOracle} and {@link PipelineOracle} checked per case. {@code -Dleasehold.fuzz.seed=N}
 * runs them from another base seed.
 */
class FuzzCampaignTest {

    private static final long SEED = Long.getLong("leasehold.fuzz.seed", 20);
    private static final Duration HANG = Duration.ofSeconds(90);

    @Test
    void hostileDatagramsAreMessagesOrMalformedAndEncodeBackTheSame() {
        FuzzCampaign.Report report = assertTimeoutPreemptively(HANG,
                () -> FuzzCampaign.run(FuzzCampaign.Target.DECODER, SEED, 200_000, Thread.currentThread(), false));
        System.out.println(report);

        assertThat(report.shapes()).containsOnlyKeys(HostilePackets.Shape.values());
        // Both sides of the decoder are exercised, not only its first length check.
        assertThat(report.decoded()).isBetween(report.cases() / 5, report.cases() * 4 / 5);
    }

    @Test
    void hostileDatagramsNeverBreakThePipelineNorWriteForMalformedOnes() {
        FuzzCampaign.Report report = assertTimeoutPreemptively(HANG,
                () -> FuzzCampaign.run(FuzzCampaign.Target.PIPELINE, SEED, 60_000, Thread.currentThread(), false));
        System.out.println(report);

        // The cases reach every outcome: refused by the decoder, dropped by the engine, answered, written.
        assertThat(report.outcomes()).containsKeys("malformed", "no reply", "OFFER", "ACK", "NAK", "lease writes");
        assertThat(report.outcomes().get("lease writes")).isGreaterThan(100);
    }
}
