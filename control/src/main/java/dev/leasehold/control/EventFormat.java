package dev.leasehold.control;

import dev.leasehold.config.EventLogFormat;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;

/**
 * Renders a {@link HistoryEvent} as one line: {@code key=value} text for people, or a JSON object
 * for log pipelines and for the history file. The JSON is written by hand (no object mapper on
 * the packet path); {@link HistoryCodec} reads it back.
 */
final class EventFormat {

    private EventFormat() {
    }

    static String line(EventLogFormat format, HistoryEvent e) {
        return format == EventLogFormat.JSON ? json(e) : text(e);
    }

    /** {@code ack 192.0.2.100 client-id=01:02:.. mac=02:.. subnet=7 relay=10.0.0.1 circuit-id=.. hostname=.. expires=..} */
    static String text(HistoryEvent e) {
        StringBuilder b = new StringBuilder(200);
        b.append(e.type()).append(' ').append(e.address());
        b.append(" client-id=").append(e.clientId().isEmpty() ? "-" : e.clientId());
        b.append(" mac=").append(e.mac().isEmpty() ? "-" : e.mac());
        b.append(" subnet=").append(e.subnetId());
        b.append(" relay=").append(e.relay().isEmpty() ? "-" : e.relay());
        b.append(" circuit-id=").append(e.circuitId().isEmpty() ? "-" : e.circuitId());
        b.append(" hostname=").append(e.hostname().isEmpty() ? "-" : quoteIfNeeded(e.hostname()));
        b.append(" expires=").append(e.expiresAt());
        if (!e.state().isEmpty()) {
            b.append(" state=").append(e.state());
        }
        if (!e.detail().isEmpty()) {
            b.append(" detail=").append(quoteIfNeeded(e.detail()));
        }
        return b.toString();
    }

    static String json(HistoryEvent e) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "time", e.time()).append(',');
        field(b, "type", e.type()).append(',');
        field(b, "address", e.address()).append(',');
        field(b, "client-id", e.clientId()).append(',');
        field(b, "mac", e.mac()).append(',');
        b.append("\"subnet-id\":").append(e.subnetId()).append(',');
        field(b, "relay", e.relay()).append(',');
        field(b, "circuit-id", e.circuitId()).append(',');
        field(b, "hostname", e.hostname()).append(',');
        field(b, "expires-at", e.expiresAt());
        if (!e.state().isEmpty()) {
            b.append(',');
            field(b, "state", e.state());
        }
        if (!e.detail().isEmpty()) {
            b.append(',');
            field(b, "detail", e.detail());
        }
        return b.append('}').toString();
    }

    private static StringBuilder field(StringBuilder b, String name, Object value) {
        b.append('"').append(name).append("\":\"");
        String s = value instanceof Instant || value instanceof Ipv4Address ? value.toString() : (String) value;
        escape(b, s);
        return b.append('"');
    }

    /** JSON string escaping, RFC 8259 §7. */
    static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    private static String quoteIfNeeded(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7F) {
                StringBuilder b = new StringBuilder(s.length() + 2).append('"');
                escape(b, s);
                return b.append('"').toString();
            }
        }
        return s;
    }
}
