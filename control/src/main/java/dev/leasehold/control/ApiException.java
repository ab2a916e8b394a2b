package dev.leasehold.control;

import java.util.Map;

/**
 * A call the API refuses, answered as {@code {"error": code, "message": ...}} with an HTTP status;
 * nothing has been changed when one is thrown.
 *
 * @param extra more fields for the error body (the problems of a refused configuration, say)
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not-found", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, Object> extra() {
        return extra;
    }
}
