package dev.leasehold.control;

import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Every call of the control API, wired to one running server. The routes registered here are
 * exactly those {@code openapi.json} documents (a test holds the two together).
 */
final class ControlApi {

    static final String OPENAPI_RESOURCE = "openapi.json";

    private final Router router = new Router();

    ControlApi(LeaseholdServer server, Operations ops) {
        ConfigApi config = new ConfigApi(server);
        new LeaseApi(server, ops).register(router);
        config.register(router);
        new StatusApi(server, ops, config).register(router);
        new HistoryApi(ops).register(router);
        String openapi = openApiDocument();
        router.add("GET", "/openapi.json", req -> {
            req.allowQuery().noBody();
            return ApiResponse.text("application/json", openapi);
        });
        // Kea's list-commands: what this server answers, read from the routes themselves.
        router.add("GET", "/commands", req -> {
            req.allowQuery().noBody();
            return ApiResponse.ok(java.util.Map.of("commands", router.routes().stream()
                    .map(r -> r.method() + " " + r.template()).toList()));
        });
    }

    Router router() {
        return router;
    }

    static String openApiDocument() {
        try (InputStream in = ControlApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
