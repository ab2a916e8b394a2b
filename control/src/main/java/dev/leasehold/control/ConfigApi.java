package dev.leasehold.control;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ConfigProblem;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration calls, after Kea's config-get, config-test, config-reload and config-write.
 * Files named in a call are resolved against the configuration file's directory and must stay
 * inside it: an API token must not become a way to read or write anywhere the server can.
 */
final class ConfigApi {

    private final LeaseholdServer server;
    private final Operations ops;
    private final ConfigInForce inForce;

    ConfigApi(LeaseholdServer server, Operations ops) {
        this.server = server;
        this.ops = ops;
        this.inForce = new ConfigInForce(server.configFile());
    }

    void register(Router r) {
        r.add("GET", "/config", this::get);
        r.add("POST", "/config/test", this::test);
        r.add("POST", "/config/reload", this::reload);
        r.add("POST", "/config/write", this::write);
    }

    ConfigInForce.Snapshot snapshot() {
        return inForce.of(server.config(), ops.clock().instant());
    }

    ApiResponse get(ApiRequest req) {
        req.allowQuery().noBody();
        ConfigInForce.Snapshot s = snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", server.configFile().toString());
        body.put("sha256", s.sha256());
        body.put("loaded-at", s.seenAt().toString());
        body.put("subnets", summary(s.config()));
        body.put("text", s.text());
        return ApiResponse.ok(body);
    }

    /** Checks a file (by path) or text without touching the running server. A refused file is a 200 with its problems. */
    ApiResponse test(ApiRequest req) {
        req.allowQuery();
        JsonBody body = req.json("path", "text");
        if (body.has("path") == body.has("text")) {
            throw ApiException.badRequest("bad-parameter", "give exactly one of 'path' (a file beside the configuration)"
                    + " or 'text' (the configuration itself)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            ServerConfig parsed;
            if (body.has("path")) {
                Path file = confined(body.requiredString("path"));
                out.put("path", file.toString());
                parsed = ConfigLoader.load(file);
            } else {
                parsed = ConfigLoader.parse(body.requiredString("text"), "text");
            }
            out.put("valid", true);
            out.put("subnets", summary(parsed));
        } catch (ConfigException e) {
            out.put("valid", false);
            out.put("problems", problems(e));
        }
        return ApiResponse.ok(out);
    }

    /** Reloads the configuration file; a bad file is refused (422) with its problems and the running one stays. */
    ApiResponse reload(ApiRequest req) {
        req.allowQuery();
        req.json();
        try {
            ConfigLoader.load(server.configFile());
        } catch (ConfigException e) {
            throw new ApiException(422, "config-refused", "the configuration file has problems; the running"
                    + " configuration stays in force", Map.of("problems", problems(e)));
        }
        if (!server.reload()) {
            throw new ApiException(422, "config-refused", "the configuration file changed while reloading and was"
                    + " refused; the running configuration stays in force");
        }
        ConfigInForce.Snapshot s = snapshot();
        return ApiResponse.ok(Map.of("reloaded", true, "sha256", s.sha256(), "subnets", s.config().subnets().size()));
    }

    /** Writes the text of the configuration in force to a file beside the configuration file. */
    ApiResponse write(ApiRequest req) throws IOException {
        req.allowQuery();
        JsonBody body = req.json("path");
        Path target = confined(body.requiredString("path"));
        ConfigInForce.Snapshot s = snapshot();
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, s.text(), StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return ApiResponse.ok(Map.of("path", target.toString(), "sha256", s.sha256(), "bytes",
                s.text().getBytes(StandardCharsets.UTF_8).length));
    }

    /** {@code name} resolved against the configuration's directory, refused if it leads outside it. */
    private Path confined(String name) {
        Path dir = server.configFile().toAbsolutePath().normalize().getParent();
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new ApiException(403, "outside-config-directory", "'" + name + "' is not a file in " + dir
                    + ", the configuration's directory; the API reads and writes nowhere else");
        }
        return p;
    }

    private static List<Map<String, Object>> problems(ConfigException e) {
        return e.problems().stream().map(ConfigApi::problem).toList();
    }

    private static Map<String, Object> problem(ConfigProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", p.file());
        m.put("line", p.line());
        m.put("path", p.path());
        m.put("message", p.message());
        return m;
    }

    static List<Map<String, Object>> summary(ServerConfig config) {
        return config.subnets().stream().map(ConfigApi::subnet).toList();
    }

    private static Map<String, Object> subnet(SubnetConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("subnet", s.prefix().toString());
        m.put("pools", s.pools().stream().map(p -> p.range().first() + "-" + p.range().last()).toList());
        m.put("reservations", s.reservations().size());
        m.put("valid-lifetime", s.timers().validLifetime().toSeconds());
        return m;
    }
}
