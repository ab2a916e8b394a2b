package dev.leasehold.interop;

import static dev.leasehold.interop.LabAssumptions.assumeLabAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.testkit.netns.JavaCommand;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A separate JVM started in a lab namespace sees that namespace's interfaces only: the way the
 * Leasehold server ({@code dev.leasehold.cli.Main serve --config FILE}) will be run by the interop tests.
 */
@Tag("netns")
class JavaInNamespaceTest {

    @Test
    void childJvmInServerNamespaceSeesOnlyTheLabsInterfaces() {
        assumeLabAvailable();
        try (NetnsLab lab = NetnsLab.create(1)) {
            LabProcess child = lab.start("java-child", lab.server().namespace(),
                    JavaCommand.ofCurrentJvm().main(PrintNetworkInterfaces.class.getName()));
            assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.tail()).isZero();
            assertThat(child.output().lines().filter(l -> l.startsWith("interface ")))
                    .containsExactlyInAnyOrder("interface lo", "interface " + lab.server().interfaceName());
        }
    }
}
