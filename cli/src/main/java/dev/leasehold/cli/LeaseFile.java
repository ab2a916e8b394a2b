package dev.leasehold.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The lease file of {@code leasehold leases export|import}: JSON Lines, one lease per line, every
 * field exact (times in ISO-8601 with nanoseconds, identifiers in hex), so that moving leases
 * between stores loses nothing:
 * <pre>{"address":"10.0.0.5","client-id":"01020000000005","hw-type":1,"hw-address":"020000000005",
 * "subnet-id":7,"state":"active","start":"2026-03-01T12:00:00Z","expires":"2026-03-01T13:00:00Z","hostname":"pc5"}</pre>
 */
final class LeaseFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private LeaseFile() {
    }

    static String line(Lease lease) {
        ObjectNode o = JSON.createObjectNode();
        o.put("address", lease.address().toString());
        o.put("client-id", HEX.formatHex(lease.clientId().bytes()));
        o.put("hw-type", lease.hardwareAddress().htype());
        o.put("hw-address", HEX.formatHex(lease.hardwareAddress().bytes()));
        o.put("subnet-id", lease.subnetId());
        o.put("state", lease.state().name().toLowerCase(Locale.ROOT));
        o.put("start", lease.start().toString());
        o.put("expires", lease.expiresAt().toString());
        o.put("hostname", lease.hostname());
        return o.toString();
    }

    /** The lease of one line; {@link IllegalArgumentException} naming the field when the line is not one. */
    static Lease parse(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return new Lease(Ipv4Address.parse(text(o, "address")), new ClientId(hex(o, "client-id")),
                new HardwareAddress(integer(o, "hw-type"), hex(o, "hw-address")), integer(o, "subnet-id"),
                state(text(o, "state")), instant(o, "start"), instant(o, "expires"), text(o, "hostname"));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + ": missing or not a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ": missing or not a whole number");
        }
        return v.asInt();
    }

    private static byte[] hex(JsonNode o, String field) {
        try {
            return HEX.parseHex(text(o, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": not hex digits");
        }
    }

    private static Instant instant(JsonNode o, String field) {
        try {
            return Instant.parse(text(o, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an ISO-8601 instant such as 2026-03-01T12:00:00Z");
        }
    }

    private static LeaseState state(String text) {
        for (LeaseState s : LeaseState.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("state: '" + text + "' is not active, released, expired or declined");
    }
}
