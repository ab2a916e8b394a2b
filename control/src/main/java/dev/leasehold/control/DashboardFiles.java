package dev.leasehold.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web dashboard: static files in the jar under {@code dev/leasehold/control/dashboard/},
 * served at {@code /} (the page) and {@code /ui/NAME}. They are served without a token because
 * they hold no data: the page asks for the token and then calls the public API like any other
 * client. The content security policy lets the page load only its own files and talk only to
 * this server, so nothing is fetched from elsewhere at run time.
 */
final class DashboardFiles {

    static final String RESOURCES = "dashboard/";
    private static final Pattern NAME = Pattern.compile("/ui/([a-z0-9][a-z0-9-]*\\.(js|css|svg|html))");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "html", "text/html; charset=utf-8");
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    /** The file for a GET or HEAD of {@code path}, or empty when the path is not the dashboard's. */
    Optional<ApiResponse> serve(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Optional.empty();
        }
        String name;
        String type;
        if (path.equals("/") || path.equals("/index.html")) {
            name = "index.html";
            type = "html";
        } else {
            Matcher m = NAME.matcher(path);
            if (!m.matches()) {
                return Optional.empty();
            }
            name = m.group(1);
            type = m.group(2);
        }
        return cache.computeIfAbsent(name, DashboardFiles::read).map(bytes -> new ApiResponse(200, TYPES.get(type), bytes)
                .withHeaders(Map.of("Content-Security-Policy", POLICY, "Referrer-Policy", "no-referrer",
                        "X-Frame-Options", "DENY")));
    }

    private static Optional<byte[]> read(String name) {
        try (InputStream in = DashboardFiles.class.getResourceAsStream(RESOURCES + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
