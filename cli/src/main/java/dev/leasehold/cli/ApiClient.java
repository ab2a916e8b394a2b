package dev.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Calls the server's control API (docs/openapi.json) with the bearer token from the token file.
 * A refusal comes back as {@link ApiError} carrying the API's message, so commands print what the
 * server said.
 */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API refused the call, or could not be reached. */
    static final class ApiError extends Exception {
        final int status;
        final JsonNode body;

        ApiError(int status, String message, JsonNode body) {
            super(message, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /** A successful answer: its JSON (or text, for /metrics). */
    record Answer(int status, String text) {
        JsonNode json() throws IOException {
            return JSON.readTree(text);
        }
    }

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    static ApiClient of(ApiOptions options) throws ApiError {
        String token;
        try {
            token = Files.readString(options.tokenFile, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new ApiError(0, "no token file " + options.tokenFile + "; give --token-file (the server's"
                    + " control.token-file)", null);
        } catch (IOException e) {
            throw new ApiError(0, "cannot read the token file " + options.tokenFile + ": " + e, null);
        }
        return new ApiClient(options.url, token);
    }

    Answer get(String path, Map<String, String> query) throws ApiError {
        return call("GET", path + queryString(query), null);
    }

    Answer call(String method, String path, String jsonBody) throws ApiError {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + path));
        } catch (IllegalArgumentException e) {
            throw new ApiError(0, "not a URL: " + base + path, null);
        }
        b.timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiError(0, "cannot reach the control API at " + base + " (is the server running with a"
                    + " 'control' section? is --api right?)", null);
        } catch (IOException e) {
            throw new ApiError(0, "the control API at " + base + " failed: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(0, "interrupted", null);
        }
        if (r.statusCode() >= 400) {
            JsonNode body = null;
            String message;
            try {
                body = JSON.readTree(r.body());
                message = body.path("message").asText(r.body());
            } catch (IOException e) {
                message = r.body();
            }
            throw new ApiError(r.statusCode(), message, body);
        }
        return new Answer(r.statusCode(), r.body());
    }

    static String queryString(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) {
                j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }
}
