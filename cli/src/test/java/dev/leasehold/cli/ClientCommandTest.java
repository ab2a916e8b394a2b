package dev.leasehold.cli;

import static dev.leasehold.cli.Console.capture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.cli.Console.Captured;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `leasehold client`: help, and operator mistakes as one clear line with exit status 2 (issue 19 item 11). */
class ClientCommandTest {

    @TempDir
    Path dir;

    @Test
    void helpIsShownAndSucceeds() throws Exception {
        Captured c = capture(() -> Main.run("client", "--help"));
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("IFACE").contains("--renew").contains("--release-on-exit").contains("--rapid-commit");
    }

    @Test
    void aMissingInterfaceIsOneLineAndStatusTwo() throws Exception {
        Captured c = capture(() -> Main.run("client", "nosuch0", "--run-dir", dir.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).isEqualTo("leasehold client: no interface named nosuch0 (see `ip link`)");
    }

    @Test
    void everyMissingInterfaceIsNamed() throws Exception {
        Captured c = capture(() -> Main.run("client", "nosuch0", "nosuch1", "--run-dir", dir.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip().lines()).hasSize(2).allMatch(l -> l.startsWith("leasehold client: no interface named nosuch"));
    }

    @Test
    void aBadDurationIsOneLine() throws Exception {
        Captured c = capture(() -> Main.run("client", "eth0", "--offer-window", "soon", "--run-dir", dir.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).isEqualTo("leasehold client: not a duration (e.g. 500ms, 2s, 1m): 'soon'");
    }

    @Test
    void aBadAddressIsOneLine() throws Exception {
        Captured c = capture(() -> Main.run("client", "eth0", "--request-address", "10.0.0.300", "--run-dir", dir.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).isEqualTo("leasehold client: not an IPv4 address: '10.0.0.300'");
    }

    @Test
    void noInterfaceIsOneLine() throws Exception {
        Captured c = capture(() -> Main.run("client"));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).startsWith("leasehold client: name the interface").doesNotContain("\n");
    }

    @Test
    void theLoopbackInterfaceIsRefused() throws Exception {
        Captured c = capture(() -> Main.run("client", "lo", "--run-dir", dir.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).isEqualTo("leasehold client: lo is a loopback interface; DHCP needs a broadcast link");
    }

    @Test
    void renewWithNoClientRunningIsOneLine() throws Exception {
        Captured c = capture(() -> Main.run("client", "eth7", "--renew", "--run-dir", dir.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).startsWith("leasehold client: no client runs on this interface").doesNotContain("\n");
    }

    @Test
    void informWithOnceIsRefused() throws Exception {
        Captured c = capture(() -> Main.run("client", "eth0", "--inform", "--once"));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip()).contains("--inform asks for options only").doesNotContain("\n");
    }
}
