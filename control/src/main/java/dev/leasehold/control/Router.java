package dev.leasehold.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Maps a method and a path to an endpoint. Templates are literal segments and {@code {name}}
 * captures ({@code /leases/{address}}); a literal segment wins over a capture, so
 * {@code /leases/wipe} is not read as an address.
 */
final class Router {

    /** What an endpoint does with a call. */
    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** A registered route; the list of them is what the OpenAPI document must describe. */
    record Route(String method, String template, Endpoint endpoint) {}

    /** The outcome of matching: the endpoint with its captures, or why there is none. */
    sealed interface Match {
        record Found(Endpoint endpoint, Map<String, String> params) implements Match {}

        record NoPath() implements Match {}

        record WrongMethod(List<String> allowed) implements Match {}
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Endpoint endpoint) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a template starts with '/': " + template);
        }
        routes.add(new Route(method, template, endpoint));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    Match match(String method, String path) {
        String[] parts = split(path);
        Map<String, String> bestParams = null;
        Route best = null;
        int bestLiterals = -1;
        TreeSet<String> allowed = new TreeSet<>();
        int pathLiterals = -1;
        for (Route r : routes) {
            Map<String, String> params = new HashMap<>();
            Optional<Integer> literals = matches(split(r.template()), parts, params);
            if (literals.isEmpty()) {
                continue;
            }
            // Only routes as specific as the most specific match count, so POST /leases/wipe
            // does not make GET /leases/wipe look like a lease address.
            if (literals.get() > pathLiterals) {
                pathLiterals = literals.get();
                allowed.clear();
            }
            if (literals.get() == pathLiterals) {
                allowed.add(r.method());
            }
            if (r.method().equals(method) && literals.get() > bestLiterals) {
                best = r;
                bestParams = params;
                bestLiterals = literals.get();
            }
        }
        if (best != null && bestLiterals == pathLiterals) {
            return new Match.Found(best.endpoint(), bestParams);
        }
        if (allowed.isEmpty()) {
            return new Match.NoPath();
        }
        return new Match.WrongMethod(List.copyOf(allowed));
    }

    private static Optional<Integer> matches(String[] template, String[] path, Map<String, String> params) {
        if (template.length != path.length) {
            return Optional.empty();
        }
        int literals = 0;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (t.equals(path[i])) {
                literals++;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(literals);
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
