package dev.leasehold.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * A whole server on loopback for tests: DHCP on UDP port 0, the control API on TCP port 0, a
 * fresh token file, relay-path clients, and an HTTP client that calls the API as operators do.
 */
final class RunningServer implements AutoCloseable {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final Duration STEP = Duration.ofSeconds(2);

    final Path dir;
    final Path configFile;
    final LeaseholdServer server;
    final Operations ops;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private RunningServer(Path dir, Path configFile, LeaseholdServer server, Operations ops) {
        this.dir = dir;
        this.configFile = configFile;
        this.server = server;
        this.ops = ops;
    }

    /** The standard test configuration: subnet 7 = 192.0.2.0/24 behind relay 127.0.0.1, pool .100-.149. */
    static String config(Path dir, String extra) {
        return """
                listen: {address: 127.0.0.1, port: 0}
                data-directory: %s
                valid-lifetime: 600
                allocation: iterative
                control: {address: 127.0.0.1, port: 0, token-file: %s}
                %s
                subnets:
                  - id: 7
                    subnet: 192.0.2.0/24
                    relay-addresses: [127.0.0.1]
                    pools: [{range: 192.0.2.100-192.0.2.149}]
                    options: {routers: 192.0.2.1}
                """.formatted(dir.resolve("data"), dir.resolve("token"), extra);
    }

    static RunningServer start(Path dir) throws Exception {
        return start(dir, config(dir, ""));
    }

    static RunningServer start(Path dir, String configText) throws Exception {
        Path token = dir.resolve("token");
        if (!Files.exists(token)) {
            Files.writeString(token, TOKEN + "\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
        Path configFile = dir.resolve("leasehold.yaml");
        Files.writeString(configFile, configText);
        AtomicReference<Operations> opened = new AtomicReference<>();
        LeaseholdServer server = LeaseholdServer.start(configFile, Clock.systemUTC(), RandomGenerator.of("L64X128MixRandom"),
                List.of(Operations.factory(opened::set)));
        return new RunningServer(dir, configFile, server, opened.get());
    }

    String url() {
        return ops.apiUrl().orElseThrow();
    }

    /** An API call with the right token. */
    Reply call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, "Bearer " + TOKEN, "application/json");
    }

    Reply call(String method, String path) throws IOException, InterruptedException {
        return call(method, path, null);
    }

    Reply call(String method, String path, String body, String authorization, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null && contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""), r.headers().map());
    }

    /** One DORA for {@code mac} through the relay path; the binding or empty. */
    Optional<Binding> lease(String mac, String hostname) throws IOException {
        try (RelayPathClient c = RelayPathClient.open(Ipv4Address.parse("127.0.0.1"), server.localAddress(),
                new ClientMessages(HardwareAddress.parseEthernet(mac), null, hostname, ClientMessages.RelayFields.NONE),
                RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC())) {
            return c.obtain(null, STEP);
        }
    }

    /** Sends DHCPRELEASE for a binding. */
    void release(String mac, Binding b) throws IOException {
        try (RelayPathClient c = RelayPathClient.open(Ipv4Address.parse("127.0.0.1"), server.localAddress(),
                new ClientMessages(HardwareAddress.parseEthernet(mac), null, null, ClientMessages.RelayFields.NONE),
                RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC())) {
            c.send(c.messages().release(c.newXid(), b.address(), b.serverId()));
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** An HTTP answer. */
    record Reply(int status, String body, String contentType, java.util.Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String error() {
            return json().path("error").asText();
        }

        String message() {
            return json().path("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
