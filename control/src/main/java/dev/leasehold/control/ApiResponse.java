package dev.leasehold.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint answers: a status, a content type, extra headers, and the bytes, or a
 * {@link Stream} that writes a body too large to hold (sent chunked).
 */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers, Stream stream) {

    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Writes a body as it is produced. */
    @FunctionalInterface
    interface Stream {
        void writeTo(OutputStream out) throws IOException;
    }

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of(), null);
    }

    static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, "application/json", JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value.getClass(), e);
        }
    }

    static ApiResponse ok(Object value) {
        return json(200, value);
    }

    static ApiResponse text(String contentType, String text) {
        return new ApiResponse(200, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static ApiResponse streamed(String contentType, Stream stream) {
        return new ApiResponse(200, contentType, new byte[0], Map.of(), stream);
    }

    ApiResponse withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new ApiResponse(status, contentType, body, all, stream);
    }

    static ApiResponse error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        body.putAll(e.extra());
        return json(e.status(), body);
    }
}
