package dev.leasehold.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body read strictly: one JSON object, no duplicate or unknown keys, and each value
 * of the type the field needs (a number given as text is refused, not converted). Every refusal
 * is a 400 naming the field.
 */
final class JsonBody {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    static JsonBody parse(byte[] body, Set<String> allowed) {
        if (body.length == 0) {
            return new JsonBody(STRICT.createObjectNode());
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed-json", "the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiException.badRequest("malformed-json", "the body cannot be read: " + e.getMessage());
        }
        if (tree == null || !(tree instanceof ObjectNode object)) {
            throw ApiException.badRequest("wrong-type", "the body must be a JSON object, not "
                    + (tree == null ? "nothing" : describe(tree)));
        }
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown-field", "unknown field(s) " + unknown
                    + (allowed.isEmpty() ? "; this call takes an empty object" : "; known: " + new TreeSet<>(allowed)));
        }
        return new JsonBody(object);
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    Optional<String> string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return Optional.of(v.textValue());
    }

    String requiredString(String field) {
        return string(field).orElseThrow(() -> ApiException.badRequest("missing-field", "field '" + field + "' is required"));
    }

    Optional<Long> integer(String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(field, "a whole number", v);
        }
        long n = v.longValue();
        if (n < min || n > max) {
            throw ApiException.badRequest("out-of-range", "field '" + field + "' must be " + min + "-" + max + ", not " + n);
        }
        return Optional.of(n);
    }

    Optional<Boolean> bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return Optional.of(v.booleanValue());
    }

    private static ApiException wrongType(String field, String expected, JsonNode v) {
        return ApiException.badRequest("wrong-type", "field '" + field + "' must be " + expected + ", not " + describe(v));
    }

    private static String describe(JsonNode v) {
        JsonNodeType t = v.getNodeType();
        return switch (t) {
            case STRING -> "a string";
            case NUMBER -> v.isIntegralNumber() ? "a whole number" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }
}
