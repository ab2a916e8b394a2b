package dev.leasehold.interop.leasehold;

import dev.leasehold.testkit.netns.LabRequirements;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Turns a missing lab requirement (root, {@code ip netns}, a Debian binary) into a skipped test that says why. */
final class LabAssumptions {

    private LabAssumptions() {
    }

    /** Root, a working {@code ip netns} and the binaries; call it once per lab, before building it. */
    static void assumeLabAvailable(String... binaries) {
        LabRequirements.unmetReason(binaries).ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    }

    /**
     * Only the binaries, for a test in a lab that already stands: cheap, and safe for tests that
     * run side by side (the full check creates a probe namespace whose name is fixed per JVM).
     */
    static void assumeBinaries(String... binaries) {
        List<String> missing = Arrays.stream(binaries).filter(b -> LabRequirements.findBinary(b).isEmpty()).toList();
        Assumptions.assumeTrue(missing.isEmpty(),
                () -> "skipped: missing binaries " + missing + " (run .ci/run as root to install the Debian packages)");
    }
}
