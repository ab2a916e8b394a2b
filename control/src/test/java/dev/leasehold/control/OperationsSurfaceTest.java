package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the review of the operations surface found, each as a behaviour of the running server. */
class OperationsSurfaceTest {

    @TempDir
    Path dir;
    @TempDir
    Path outside;
    private RunningServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    // ---- the configuration that runs ----

    @Test
    void anEditedFileIsNotReportedAsRunningUntilReloaded() throws Exception {
        s = RunningServer.start(dir);
        String loaded = Files.readString(s.configFile);
        JsonNode before = s.call("GET", "/config").json();
        assertThat(before.path("sha256").asText()).isEqualTo(ConfigInForce.sha256(loaded));
        assertThat(before.path("disk-differs").asBoolean()).isFalse();

        Files.writeString(s.configFile, loaded.replace("valid-lifetime: 600", "valid-lifetime: 900"));

        JsonNode edited = s.call("GET", "/config").json();
        assertThat(edited.path("text").asText()).isEqualTo(loaded);
        assertThat(edited.path("sha256").asText()).isEqualTo(before.path("sha256").asText());
        assertThat(edited.path("loaded-at").asText()).isEqualTo(before.path("loaded-at").asText());
        assertThat(edited.path("disk-differs").asBoolean()).isTrue();
        assertThat(s.call("GET", "/status").json().path("config").path("disk-differs").asBoolean()).isTrue();
        String metrics = s.call("GET", "/metrics").body();
        assertThat(metrics).contains("config_sha256=\"" + before.path("sha256").asText() + "\"")
                .contains("leasehold_config_disk_differs 1\n");

        Thread.sleep(5);
        assertThat(s.call("POST", "/config/reload", "{}").status()).isEqualTo(200);
        JsonNode reloaded = s.call("GET", "/config").json();
        assertThat(reloaded.path("text").asText()).contains("valid-lifetime: 900");
        assertThat(reloaded.path("disk-differs").asBoolean()).isFalse();
        assertThat(reloaded.path("loaded-at").asText()).isGreaterThan(before.path("loaded-at").asText());
    }

    @Test
    void aReloadRefusedThroughTheApiIsLogged() throws Exception {
        s = RunningServer.start(dir);
        Files.writeString(s.configFile, Files.readString(s.configFile).replace("valid-lifetime: 600", "valid-lifetime: -1"));
        try (LogLines log = new LogLines(ConfigApi.class.getName())) {
            assertThat(s.call("POST", "/config/reload", "{}").status()).isEqualTo(422);
            assertThat(log.containing("refused")).singleElement().asString()
                    .startsWith("ERROR reload asked by API token 'operator' refused").contains("valid-lifetime");
        }
    }

    // ---- config/write and config/test stay in the configuration's directory ----

    @Test
    void aSymlinkOutOfTheDirectoryIsNeitherWrittenNorRead() throws Exception {
        s = RunningServer.start(dir);
        Path victim = Files.writeString(outside.resolve("victim.yaml"), "secret: first line\n");
        Files.createSymbolicLink(dir.resolve("link.yaml"), victim);
        Files.createSymbolicLink(dir.resolve("away"), outside);

        for (String path : List.of("link.yaml", "away/victim.yaml", "away/new.yaml")) {
            RunningServer.Reply write = s.call("POST", "/config/write", "{\"path\": \"" + path + "\"}");
            assertThat(write.status()).as(path).isEqualTo(403);
            assertThat(write.error()).isEqualTo("outside-config-directory");
        }
        RunningServer.Reply test = s.call("POST", "/config/test", "{\"path\": \"link.yaml\"}");
        assertThat(test.status()).isEqualTo(403);
        assertThat(test.body()).doesNotContain("secret");
        assertThat(Files.readString(victim)).isEqualTo("secret: first line\n");
        assertThat(outside.resolve("new.yaml")).doesNotExist();
    }

    @Test
    void theTokenFileIsNeitherReadNorOverwritten() throws Exception {
        s = RunningServer.start(dir);
        RunningServer.Reply test = s.call("POST", "/config/test", "{\"path\": \"token\"}");
        assertThat(test.status()).isEqualTo(403);
        assertThat(test.error()).isEqualTo("secret-file");
        assertThat(test.body()).doesNotContain(RunningServer.TOKEN);
        assertThat(s.call("POST", "/config/write", "{\"path\": \"token\"}").error()).isEqualTo("secret-file");
        assertThat(Files.readString(dir.resolve("token"))).isEqualTo(RunningServer.TOKEN + "\n");
    }

    @Test
    void unusablePathsAre400WithAReason() throws Exception {
        s = RunningServer.start(dir);
        Files.createDirectory(dir.resolve("sub"));
        RunningServer.Reply noDirectory = s.call("POST", "/config/write", "{\"path\": \"nowhere/x.yaml\"}");
        assertThat(noDirectory.status()).isEqualTo(400);
        assertThat(noDirectory.error()).isEqualTo("no-such-directory");
        RunningServer.Reply directory = s.call("POST", "/config/write", "{\"path\": \"sub\"}");
        assertThat(directory.status()).isEqualTo(400);
        assertThat(directory.error()).isEqualTo("not-a-file");
        RunningServer.Reply missing = s.call("POST", "/config/test", "{\"path\": \"absent.yaml\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error()).isEqualTo("no-such-file");
        assertThat(s.call("POST", "/config/test", "{\"path\": \"sub\"}").error()).isEqualTo("not-a-file");
    }

    @Test
    void aRewriteKeepsTheFileModeAndLeavesNoTemporaryFile() throws Exception {
        s = RunningServer.start(dir);
        Path backup = Files.writeString(dir.resolve("backup.yaml"), "old\n");
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectory(dir.resolve("sub"));

        assertThat(s.call("POST", "/config/write", "{\"path\": \"backup.yaml\"}").status()).isEqualTo(200);
        assertThat(s.call("POST", "/config/write", "{\"path\": \"sub/copy.yaml\"}").status()).isEqualTo(200);
        assertThat(s.call("POST", "/config/write", "{\"path\": \"sub\"}").status()).isEqualTo(400);

        assertThat(Files.readString(backup)).isEqualTo(Files.readString(s.configFile));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-r-----");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::toString).filter(f -> f.endsWith(".tmp")).toList()).isEmpty();
        }
    }

    // ---- tokens ----

    @Test
    void namedTokensAreReadOnlyOrReadWriteAndAuditLinesNameThem() throws Exception {
        Path tokens = dir.resolve("token");
        Files.writeString(tokens, """
                # name access token
                grafana read-only  ro-0123456789abcdef
                alice   read-write rw-0123456789abcdef
                """);
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        s = RunningServer.start(dir);
        s.lease("02:00:00:00:05:01", "one").orElseThrow();
        String address = s.call("GET", "/leases", null, "Bearer rw-0123456789abcdef", null).json()
                .path("leases").get(0).path("address").asText();

        RunningServer.Reply status = s.call("GET", "/status", null, "Bearer ro-0123456789abcdef", null);
        assertThat(status.json().path("caller").path("token").asText()).isEqualTo("grafana");
        assertThat(status.json().path("caller").path("access").asText()).isEqualTo("read-only");
        RunningServer.Reply refused = s.call("DELETE", "/leases/" + address, null, "Bearer ro-0123456789abcdef", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("read-only-token");
        assertThat(s.call("POST", "/config/reload", "{}", "Bearer ro-0123456789abcdef", "application/json").status())
                .isEqualTo(403);

        try (LogLines audit = new LogLines("leasehold.control.audit")) {
            assertThat(s.call("DELETE", "/leases/" + address, null, "Bearer rw-0123456789abcdef", null).status())
                    .isEqualTo(200);
            assertThat(audit.containing("deleted")).singleElement().asString()
                    .startsWith("INFO token 'alice' deleted");
        }
    }

    @Test
    void aTokenFileThatServeWouldRefuseIsNamedByProblemsOf() throws Exception {
        Path tokens = dir.resolve("token");
        Files.writeString(tokens, "a read-write 0123456789abcdef0\nb admin 0123456789abcdef1\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        var config = dev.leasehold.config.ConfigLoader.parse(RunningServer.config(dir, ""), "t.yaml");
        assertThat(Operations.problemsOf(config)).hasValueSatisfying(m -> assertThat(m).contains("access 'admin'"));
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Operations.problemsOf(config)).hasValueSatisfying(m -> assertThat(m).contains("chmod 600"));
        Files.delete(tokens);
        assertThat(Operations.problemsOf(config)).hasValueSatisfying(m -> assertThat(m).contains("does not exist"));
        Files.writeString(tokens, RunningServer.TOKEN);
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        assertThat(Operations.problemsOf(config)).isEmpty();
    }

    @Test
    void tokenFilesWithMistakesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ApiTokens.parse("", "f")).hasMessageContaining("holds no token");
        assertThatThrownBy(() -> ApiTokens.parse("short", "f")).hasMessageContaining("shorter than 16");
        assertThatThrownBy(() -> ApiTokens.parse("a read-write 0123456789abcdef\na read-only 0123456789abcdeX", "f"))
                .hasMessageContaining("'a' is used twice");
        assertThatThrownBy(() -> ApiTokens.parse("a read-write 0123456789abcdef\nb read-only 0123456789abcdef", "f"))
                .hasMessageContaining("the same secret");
        assertThatThrownBy(() -> ApiTokens.parse("a read-write\nb read-only 0123456789abcdef", "f"))
                .hasMessageContaining("is not 'NAME ACCESS TOKEN'");
    }

    @Test
    void wrongTokensAreLoggedAtMostFiveTimesAMinuteAndAllCounted() throws Exception {
        s = RunningServer.start(dir);
        try (LogLines audit = new LogLines("leasehold.control.audit")) {
            for (int i = 0; i < 20; i++) {
                assertThat(s.call("GET", "/status", null, "Bearer wrong-token-" + i + "-0123456789", null).status())
                        .isEqualTo(401);
            }
            assertThat(audit.containing("wrong API token")).hasSize(FailedLogins.PER_MINUTE)
                    .allSatisfy(m -> assertThat(m).startsWith("WARN call with a wrong API token from 127.0.0.1: GET /status"));
        }
        assertThat(s.call("GET", "/metrics").body()).contains("leasehold_api_unauthorized_total 20\n");
    }

    // ---- the HTTP server's limits ----

    @Test
    void incompleteRequestsAreClosedAfterTheRequestTimeout() throws Exception {
        s = RunningServer.start(dir);
        var address = s.ops.apiAddress().orElseThrow();
        List<Socket> halfOpen = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = new Socket(address.getAddress(), address.getPort());
                socket.setSoTimeout((int) Duration.ofSeconds(HttpLimits.REQUEST_SECONDS + 8).toMillis());
                OutputStream out = socket.getOutputStream();
                // Headers never finished, or a body shorter than declared.
                out.write((i % 2 == 0 ? "GET /status HTTP/1.1\r\nHost: x\r\n"
                        : "POST /config/test HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + RunningServer.TOKEN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                halfOpen.add(socket);
            }
            // The server still answers whole requests meanwhile.
            assertThat(s.call("GET", "/status").status()).isEqualTo(200);
            long start = System.nanoTime();
            for (Socket socket : halfOpen) {
                InputStream in = socket.getInputStream();
                // Closed by the server: end of stream (an error answer may come first).
                while (in.read() >= 0) {
                    // drain
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertThat(seconds).isLessThanOrEqualTo(HttpLimits.REQUEST_SECONDS + 3);
        } finally {
            for (Socket socket : halfOpen) {
                socket.close();
            }
        }
        assertThat(System.getProperty("jdk.httpserver.maxConnections")).isEqualTo(Integer.toString(HttpLimits.MAX_CONNECTIONS));
    }

    @Test
    void atMostTheConnectionLimitIsAcceptedAtOnce() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc/self/fd to count open files");
        s = RunningServer.start(dir);
        var address = s.ops.apiAddress().orElseThrow();
        int extra = 44;
        long before = openFiles(fds);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < HttpLimits.MAX_CONNECTIONS + extra; i++) {
                Socket socket = new Socket();
                socket.connect(address, 2_000);
                idle.add(socket);
            }
            Thread.sleep(1_500);
            // Each client socket is an open file of this process too; the server may add at most
            // one per accepted connection, the rest wait in the listen backlog.
            long added = openFiles(fds) - before;
            assertThat(added).isLessThanOrEqualTo(idle.size() + HttpLimits.MAX_CONNECTIONS + 16L)
                    .isGreaterThanOrEqualTo(idle.size());
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    private static long openFiles(Path fds) throws java.io.IOException {
        try (Stream<Path> list = Files.list(fds)) {
            return list.count();
        }
    }

    // ---- Kea's commands ----

    @Test
    void versionAndCommandListAnswer() throws Exception {
        s = RunningServer.start(dir);
        assertThat(s.call("GET", "/version").json().path("version").asText()).isNotEmpty();
        List<String> commands = new ArrayList<>();
        s.call("GET", "/commands").json().path("commands").forEach(c -> commands.add(c.asText()));
        assertThat(commands).contains("GET /leases/all", "POST /shutdown", "POST /statistics/reset", "GET /version",
                "GET /commands");
    }

    @Test
    void statisticsResetZeroesTheCountersButNotMetrics() throws Exception {
        s = RunningServer.start(dir);
        s.lease("02:00:00:00:06:01", "a").orElseThrow();
        assertThat(s.call("GET", "/statistics").json().path("sent").path("ack").asLong()).isEqualTo(1);
        assertThat(s.call("POST", "/statistics/reset", "{}").status()).isEqualTo(200);

        JsonNode after = s.call("GET", "/statistics").json();
        assertThat(after.path("sent").path("ack").asLong()).isZero();
        assertThat(after.path("packets-received").asLong()).isZero();
        assertThat(after.path("subnets").get(0).path("assigned").asLong()).as("a gauge, not reset").isEqualTo(1);
        assertThat(s.call("GET", "/metrics").body()).contains("leasehold_messages_sent_total{type=\"ack\"} 1\n");
        s.lease("02:00:00:00:06:02", "b").orElseThrow();
        assertThat(s.call("GET", "/statistics").json().path("sent").path("ack").asLong()).isEqualTo(1);
    }

    @Test
    void allLeasesComeInOneStreamedDocumentOrAsJsonLines() throws Exception {
        s = RunningServer.start(dir);
        for (int i = 1; i <= 3; i++) {
            s.lease("02:00:00:00:08:0" + i, "h" + i).orElseThrow();
        }
        RunningServer.Reply all = s.call("GET", "/leases/all");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("count").asInt()).isEqualTo(3);
        assertThat(all.json().path("leases")).hasSize(3);
        RunningServer.Reply lines = s.call("GET", "/leases/all?format=jsonl");
        assertThat(lines.contentType()).isEqualTo("application/jsonl");
        List<String> macs = new ArrayList<>();
        assertThat(lines.body()).startsWith("{").endsWith("}\n").doesNotContain("\n ");
        for (String line : lines.body().split("\n")) {
            macs.add(new ObjectMapper().readTree(line).path("mac").asText());
        }
        assertThat(macs).containsExactlyInAnyOrder("02:00:00:00:08:01", "02:00:00:00:08:02", "02:00:00:00:08:03");
        assertThat(s.call("GET", "/leases/all?subnet-id=8").json().path("count").asInt()).isZero();
        assertThat(s.call("GET", "/leases/all?format=xml").status()).isEqualTo(400);
    }

    @Test
    void anExhaustedPoolIsCountedPerSubnetAndPoolAndLoggedOnce() throws Exception {
        s = RunningServer.start(dir, RunningServer.config(dir, "").replace("192.0.2.100-192.0.2.149", "192.0.2.100-192.0.2.101"));
        s.lease("02:00:00:00:09:01", "a").orElseThrow();
        s.lease("02:00:00:00:09:02", "b").orElseThrow();
        try (LogLines log = new LogLines("dev.leasehold.server.DhcpServer")) {
            assertThat(s.lease("02:00:00:00:09:03", "c")).isEmpty();
            assertThat(log.containing("POOL_EXHAUSTED")).isNotEmpty()
                    .allSatisfy(m -> assertThat(m).startsWith("WARN").contains("subnet 7 has no free address"));
        }
        JsonNode subnet = s.call("GET", "/statistics").json().path("subnets").get(0);
        assertThat(subnet.path("allocation-failures").asLong()).isPositive();
        assertThat(subnet.path("pools").get(0).path("range").asText()).isEqualTo("192.0.2.100-192.0.2.101");
        assertThat(subnet.path("pools").get(0).path("free").asLong()).isZero();
        assertThat(s.call("GET", "/metrics").body())
                .contains("leasehold_pool_addresses_free{subnet=\"7\",pool=\"192.0.2.100-192.0.2.101\"} 0\n")
                .containsPattern("leasehold_subnet_allocation_failures_total\\{subnet=\"7\",prefix=\"192.0.2.0/24\"} [1-9]");
    }

    @Test
    void aRequestFromAnUnknownNetworkIsLogged() throws Exception {
        s = RunningServer.start(dir);
        try (LogLines log = new LogLines("dev.leasehold.server.DhcpServer");
             RelayPathClient stranger = RelayPathClient.open(Ipv4Address.parse("127.0.0.9"), s.server.localAddress(),
                     new ClientMessages(HardwareAddress.parseEthernet("02:00:00:00:0a:01"), null, null,
                             ClientMessages.RelayFields.NONE), RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC())) {
            assertThat(stranger.obtain(null, Duration.ofMillis(500))).isEmpty();
            assertThat(log.containing("NO_SUBNET")).singleElement().asString().startsWith("WARN");
        }
    }

    @Test
    void shutdownAnswersThenStopsTheServer() throws Exception {
        s = RunningServer.start(dir);
        try (LogLines audit = new LogLines("leasehold.control.audit")) {
            RunningServer.Reply r = s.call("POST", "/shutdown", "{}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(audit.containing("shut down")).singleElement().asString()
                    .isEqualTo("WARN token 'operator' asked the server to shut down");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.ops.apiAddress().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(s.ops.apiAddress()).as("the API stopped").isEmpty();
        s = null;
    }
}
