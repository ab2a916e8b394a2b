package dev.leasehold.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.leasehold.config.ControlConfig;
import dev.leasehold.net.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API's HTTP(S) listener, on the JDK's own server (module jdk.httpserver). The
 * dashboard's static files ({@code /} and {@code /ui/...}) are served to anyone: they hold no
 * data and call the API like any client. Every other call is authorised first (a call without
 * a token learns nothing, not even whether a path exists), then routed, its body read up to
 * {@link #MAX_BODY} bytes, and answered; a refusal is a 4xx with a JSON body
 * {@code {"error", "message"}}. One virtual thread per call; {@link HttpLimits} bounds how long
 * a request may take and how many connections are open.
 */
final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** 1 MiB: room for a large configuration sent to config-test, far below anything that hurts. */
    static final int MAX_BODY = 1 << 20;
    /** An oversized body is read and thrown away up to this much, then the connection is dropped. */
    private static final long DRAIN_LIMIT = 16L << 20;

    private final HttpServer http;
    private final ExecutorService executor;
    private final boolean tls;

    private ControlServer(HttpServer http, ExecutorService executor, boolean tls) {
        this.http = http;
        this.executor = executor;
        this.tls = tls;
    }

    static ControlServer start(ControlConfig config, ApiTokens tokens, Router router, FailedLogins failures)
            throws IOException {
        HttpLimits.apply();
        InetSocketAddress bind = new InetSocketAddress(config.address().toInetAddress(), config.port());
        HttpServer http;
        if (config.tls().isPresent()) {
            HttpsServer https = HttpsServer.create(bind, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(config.tls().get())));
            http = https;
        } else {
            http = HttpServer.create(bind, 64);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("control-", 0).factory());
        http.setExecutor(executor);
        DashboardFiles dashboard = new DashboardFiles();
        http.createContext("/", exchange -> serve(exchange, tokens, router, dashboard, failures));
        http.start();
        ControlServer server = new ControlServer(http, executor, config.tls().isPresent());
        log.info("control API on {}/ (the dashboard at the same address)", server.url());
        return server;
    }

    /** {@code http://127.0.0.1:8067} or the https equivalent. */
    String url() {
        return scheme() + "://" + HostPort.of(address());
    }

    InetSocketAddress address() {
        return http.getAddress();
    }

    String scheme() {
        return tls ? "https" : "http";
    }

    private static void serve(HttpExchange exchange, ApiTokens tokens, Router router, DashboardFiles dashboard,
                              FailedLogins failures) throws IOException {
        ApiResponse response;
        try {
            Optional<ApiResponse> file = dashboard.serve(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            response = file.isPresent() ? file.get() : answer(exchange, tokens, router, failures);
        } catch (ApiException e) {
            response = ApiResponse.error(e);
        } catch (RuntimeException | Error e) {
            log.error("control API call {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = ApiResponse.error(new ApiException(500, "internal-error", "the call failed inside the server: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (response.stream() != null && !head) {
                exchange.sendResponseHeaders(response.status(), 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    response.stream().writeTo(out);
                }
                return;
            }
            exchange.sendResponseHeaders(response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    private static ApiResponse answer(HttpExchange exchange, ApiTokens tokens, Router router, FailedLogins failures) {
        Optional<ApiTokens.Caller> caller = tokens.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (caller.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"leasehold\"");
            boolean sent = exchange.getRequestHeaders().containsKey("Authorization");
            if (sent) {
                failures.record(exchange.getRemoteAddress(), exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            }
            throw new ApiException(401, "unauthorized", sent ? "the bearer token is wrong"
                    : "this API needs 'Authorization: Bearer <token>', the token from the control.token-file");
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Router.Match match = router.match(method, path);
        return switch (match) {
            case Router.Match.NoPath n -> throw ApiException.notFound("no such path: " + path + "; see /openapi.json");
            case Router.Match.WrongMethod w -> {
                exchange.getResponseHeaders().set("Allow", String.join(", ", w.allowed()));
                throw new ApiException(405, "method-not-allowed", method + " is not allowed on " + path
                        + "; allowed: " + String.join(", ", w.allowed()));
            }
            case Router.Match.Found f -> {
                if (caller.get().access() == ApiTokens.Access.READ_ONLY && !method.equals("GET") && !method.equals("HEAD")) {
                    throw new ApiException(403, "read-only-token", "the token '" + caller.get().name()
                            + "' is read-only; " + method + " " + path + " needs a read-write token");
                }
                byte[] body = readBody(exchange);
                ApiRequest request = new ApiRequest(f.params(), exchange.getRequestURI().getRawQuery(), body,
                        exchange.getRequestHeaders().getFirst("Content-Type"), caller.get());
                try {
                    yield f.endpoint().handle(request);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ApiException(500, "internal-error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        };
    }

    /** The body, refusing more than {@link #MAX_BODY} bytes before reading them when the length is declared. */
    private static byte[] readBody(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad-request", "Content-Length is not a number");
            }
            if (length > MAX_BODY) {
                drain(exchange);
                throw tooLarge(length);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                drain(exchange);
                throw tooLarge(body.length);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("bad-request", "the body cannot be read: " + e.getMessage());
        }
    }

    /**
     * Reads and discards up to {@link #DRAIN_LIMIT} bytes of an oversized body, so the client,
     * still writing it, reads our 413 instead of a reset connection.
     */
    private static void drain(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            long left = DRAIN_LIMIT;
            byte[] sink = new byte[64 * 1024];
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private static ApiException tooLarge(long length) {
        return new ApiException(413, "body-too-large", "the body has " + length + " bytes; at most " + MAX_BODY
                + " are accepted (send a configuration to config-test by path instead)");
    }

    private static SSLContext sslContext(ControlConfig.TlsConfig tls) throws IOException {
        try {
            char[] password = Files.readString(tls.passwordFile(), StandardCharsets.UTF_8).strip().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.keystore())) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the control API keystore " + tls.keystore() + ": " + e.getMessage(), e);
        }
    }

    /** Stops accepting calls; calls in progress get a second to finish. */
    @Override
    public void close() {
        http.stop(1);
        executor.shutdownNow();
    }
}
