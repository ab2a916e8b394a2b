package dev.leasehold.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.Optional;

/** Reads one history line written by {@link EventFormat#json}; a torn or foreign line reads as empty. */
final class HistoryCodec {

    private final ObjectMapper mapper = new ObjectMapper();

    Optional<HistoryEvent> parse(String line) {
        try {
            JsonNode n = mapper.readTree(line);
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            return Optional.of(new HistoryEvent(Instant.parse(text(n, "time")), text(n, "type"),
                    Ipv4Address.parse(text(n, "address")), text(n, "client-id"), text(n, "mac"),
                    n.path("subnet-id").asInt(-1), text(n, "relay"), text(n, "circuit-id"), text(n, "hostname"),
                    Instant.parse(text(n, "expires-at")), text(n, "state"), text(n, "detail")));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).asText("");
    }
}
