package dev.leasehold.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One authorised call: the path parameters its route captured, its query parameters (each at
 * most once) and its body, already bounded in size.
 */
final class ApiRequest {

    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final byte[] body;
    private final String contentType;
    private final ApiTokens.Caller caller;

    ApiRequest(Map<String, String> pathParams, String rawQuery, byte[] body, String contentType, ApiTokens.Caller caller) {
        this.caller = caller;
        this.pathParams = Map.copyOf(pathParams);
        this.query = parseQuery(rawQuery);
        this.body = body;
        this.contentType = contentType == null ? "" : contentType;
    }

    /** Whose token made the call: audit lines name it. */
    ApiTokens.Caller caller() {
        return caller;
    }

    String path(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no {" + name + "}");
        }
        return v;
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** Refuses query parameters the endpoint does not know: a misspelt filter must not be ignored. */
    ApiRequest allowQuery(String... names) {
        Set<String> unknown = new TreeSet<>(query.keySet());
        unknown.removeAll(Set.of(names));
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown-parameter", "unknown query parameter(s) " + unknown
                    + (names.length == 0 ? "; this endpoint takes none" : "; known: " + new TreeSet<>(Set.of(names))));
        }
        return this;
    }

    /** The body as a JSON object whose keys are all in {@code allowed}; an empty body reads as {@code {}}. */
    JsonBody json(String... allowed) {
        if (body.length > 0 && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported-media-type",
                    "the body must be JSON with Content-Type: application/json, not '" + contentType + "'");
        }
        return JsonBody.parse(body, Set.of(allowed));
    }

    /** Refuses any body: for calls that take none. */
    ApiRequest noBody() {
        if (body.length > 0) {
            throw ApiException.badRequest("unexpected-body", "this call takes no body");
        }
        return this;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad-parameter", "query is not URL-encoded correctly: " + e.getMessage());
            }
            if (out.put(name, value) != null) {
                throw ApiException.badRequest("bad-parameter", "query parameter '" + name + "' is given twice");
            }
        }
        return out;
    }
}
