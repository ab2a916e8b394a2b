package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `leasehold serve` says and does at signals and at the control API's shutdown, in a child JVM. */
class ServeSignalsTest {

    private static final String TOKEN = "signals-test-token-0123456789";

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("leasehold.yaml");
        Files.writeString(file, """
                listen: {address: 127.0.0.1, port: %d}
                data-directory: %s
                control: {port: 0, token-file: %s}
                subnets:
                  - id: 1
                    subnet: 192.0.2.0/24
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 192.0.2.100-192.0.2.199}]
                """.formatted(ServerProcess.freePort(), dir.resolve("data"), token));
        return file;
    }

    @Test
    void sigtermIsLoggedAndTheServerStopsCleanly() throws Exception {
        try (ServerProcess server = ServerProcess.start(config())) {
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(server.log()).contains("SIGTERM received: stopping", "stopped: store and lease history closed");
        }
    }

    @Test
    void sighupIgnoredUnderNohupIsSaidAtStart() throws Exception {
        Path nohup = Path.of("/usr/bin/nohup");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(nohup), "nohup (coreutils) is missing");
        try (ServerProcess server = ServerProcess.start(config(), List.of(nohup.toString()))) {
            server.awaitLog("SIGHUP is ignored by this process", Duration.ofSeconds(10));
        }
    }

    @Test
    void shutdownThroughTheApiEndsTheProcessWithExitZero() throws Exception {
        try (ServerProcess server = ServerProcess.start(config())) {
            server.awaitLog("control API on http://", Duration.ofSeconds(10));
            Matcher url = Pattern.compile("control API on (http://[0-9.]+:\\d+)/").matcher(server.log());
            assertThat(url.find()).isTrue();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.group(1)
                            + "/shutdown")).header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(server.log()).contains("shutting down as asked through the control API");
        }
    }
}
