package dev.leasehold.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an endpoint answers: a status, a content type and the bytes. */
record ApiResponse(int status, String contentType, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

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

    static ApiResponse error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        body.putAll(e.extra());
        return json(e.status(), body);
    }
}
