package dev.leasehold.bench.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SplittableRandom;

/**
 * Coverage-guided fuzzing with Jazzer (libFuzzer for the JVM): the same rules as
 * {@link FuzzCampaign}, on inputs that Jazzer mutates towards new branches of the decoder and
 * the engine. In the normal test run only the kept inputs run (those in
 * {@code src/test/resources/.../CoverageGuidedFuzzTestInputs}, the six packet fixtures to start
 * from, and any crash Jazzer saved there); {@code JAZZER_FUZZ=1} fuzzes each target for its
 * {@code maxDuration} (the README's "Simulation and fuzzing" has the command).
 */
class CoverageGuidedFuzzTest {

    /** One pipeline for every input of a run: requests meet the leases and offers of earlier ones. */
    private static final PipelineOracle PIPELINE = new PipelineOracle(1);

    @FuzzTest(maxDuration = "5m")
    void decoder(byte[] datagram) {
        DecoderOracle.check(datagram);
    }

    @FuzzTest(maxDuration = "5m")
    void pipeline(byte[] datagram) {
        PIPELINE.check(datagram, new SplittableRandom(datagram.length));
    }
}
