package dev.leasehold.control;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ConfigProblem;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.server.LeaseholdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration calls, after Kea's config-get, config-test, config-reload and config-write.
 * Files named in a call are resolved against the configuration file's directory and must stay
 * inside it after every symbolic link is followed ({@link ConfinedPath}): an API token must not
 * become a way to read or write anywhere the server can, nor to read the token file itself.
 */
final class ConfigApi {

    private static final Logger log = LoggerFactory.getLogger(ConfigApi.class);
    private static final Logger audit = LoggerFactory.getLogger("leasehold.control.audit");

    private final LeaseholdServer server;
    private final ConfigInForce inForce;

    ConfigApi(LeaseholdServer server) {
        this.server = server;
        this.inForce = new ConfigInForce(server);
    }

    void register(Router r) {
        r.add("GET", "/config", this::get);
        r.add("POST", "/config/test", this::test);
        r.add("POST", "/config/reload", this::reload);
        r.add("POST", "/config/write", this::write);
    }

    ConfigInForce.Snapshot snapshot() {
        return inForce.now();
    }

    ApiResponse get(ApiRequest req) {
        req.allowQuery().noBody();
        ConfigInForce.Snapshot s = snapshot();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", server.configFile().toString());
        body.put("sha256", s.sha256());
        body.put("loaded-at", s.loadedAt().toString());
        body.put("disk-differs", s.diskDiffers());
        body.put("disk-sha256", s.diskSha256().orElse(null));
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
                Path file = confined().existingFile(body.requiredString("path"));
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
            log.error("reload asked by API token '{}' refused, the running configuration stays in force:\n{}",
                    req.caller().name(), e.getMessage());
            throw new ApiException(422, "config-refused", "the configuration file has problems; the running"
                    + " configuration stays in force", Map.of("problems", problems(e)));
        }
        audit.info("token '{}' reloads the configuration", req.caller().name());
        if (!server.reload()) {
            throw new ApiException(422, "config-refused", "the configuration file changed while reloading and was"
                    + " refused; the running configuration stays in force");
        }
        ConfigInForce.Snapshot s = snapshot();
        return ApiResponse.ok(Map.of("reloaded", true, "sha256", s.sha256(), "subnets", s.config().subnets().size(),
                "loaded-at", s.loadedAt().toString()));
    }

    /**
     * Writes the text of the configuration in force to a file beside the configuration file: to a
     * temporary file in the same directory, then renamed over the target, so a reader sees the
     * old file or the new one; an existing file keeps its permissions.
     */
    ApiResponse write(ApiRequest req) {
        req.allowQuery();
        JsonBody body = req.json("path");
        Path target = confined().writableFile(body.requiredString("path"));
        ConfigInForce.Snapshot s = snapshot();
        try {
            ConfinedPath.replaceAtomically(target, s.text(), server.configFile());
        } catch (IOException e) {
            throw new ApiException(503, "write-failed", "cannot write " + target + ": " + ConfinedPath.describe(e));
        }
        audit.info("token '{}' wrote the running configuration to {}", req.caller().name(), target);
        return ApiResponse.ok(Map.of("path", target.toString(), "sha256", s.sha256(), "bytes",
                s.text().getBytes(StandardCharsets.UTF_8).length));
    }

    private ConfinedPath confined() {
        List<Path> secrets = new ArrayList<>();
        server.config().operations().control().ifPresent(c -> {
            secrets.add(c.tokenFile());
            c.tls().ifPresent(t -> {
                secrets.add(t.keystore());
                secrets.add(t.passwordFile());
            });
        });
        return ConfinedPath.besideOf(server.configFile(), secrets);
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
