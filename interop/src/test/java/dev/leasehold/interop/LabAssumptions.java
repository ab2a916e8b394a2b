package dev.leasehold.interop;

import dev.leasehold.testkit.netns.LabRequirements;
import org.junit.jupiter.api.Assumptions;

/** Turns a missing lab requirement (root, {@code ip netns}, a Debian binary) into a skipped test that says why. */
final class LabAssumptions {

    private LabAssumptions() {
    }

    static void assumeLabAvailable(String... binaries) {
        LabRequirements.unmetReason(binaries).ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    }
}
