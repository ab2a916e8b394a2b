package dev.leasehold.cli;

import static dev.leasehold.cli.Console.capture;

import dev.leasehold.cli.Console.Captured;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `leasehold` command line: exit codes and what an operator reads. */
class CommandLineTest {

    @TempDir
    Path dir;

    private static final String VALID = """
            listen: {address: 127.0.0.1, port: %d}
            data-directory: %s
            subnets:
              - id: 1
                subnet: 192.0.2.0/24
                relay-addresses: [127.0.0.1]
                pools: [{range: 192.0.2.100-192.0.2.199}]
                options: {routers: %s}
            """;

    @Test
    void checkConfigAcceptsValidFile() throws Exception {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, VALID.formatted(67, dir.resolve("data"), "192.0.2.1"));
        Captured c = capture(() -> Main.run("check-config", file.toString()));
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("valid, 1 subnet(s)");
    }

    @Test
    void checkConfigRefusesBadFileNamingLineAndPath() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, VALID.formatted(67, dir.resolve("data"), "192.0.2.1").replace("192.0.2.199", "192.0.3.199"));
        Captured c = capture(() -> Main.run("check-config", file.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("bad.yaml:7").contains("subnets[0].pools[0]");
    }

    @Test
    void serveRefusesBadFileWithNonZeroExit() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "subnets: [{id: 1, subnet: 10.0.0.0/33}]\n");
        Captured c = capture(() -> Main.run("serve", "--config", file.toString()));
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("bad.yaml:1");
    }

    @Test
    void sighupReloadsConfigurationOfRunningServer() throws Exception {
        Path file = dir.resolve("leasehold.yaml");
        int port = ServerProcess.freePort();
        Files.writeString(file, VALID.formatted(port, dir.resolve("data"), "192.0.2.1"));
        try (ServerProcess server = ServerProcess.start(file)) {
            Files.writeString(file, VALID.formatted(port, dir.resolve("data"), "192.0.2.254"));
            server.signal("HUP");
            server.awaitLog("configuration reloaded", Duration.ofSeconds(10));

            Files.writeString(file, "subnets: nonsense\n");
            server.signal("HUP");
            server.awaitLog("reload refused", Duration.ofSeconds(10));
        }
    }
}
