package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the top-level keys {@code control}, {@code event-log} and {@code lease-history} into an
 * {@link OperationsConfig}; documented in docs/configuration.md, "Operations".
 */
final class OperationsReader {

    /** Loopback: the API answers only on this machine unless an operator says otherwise. */
    static final Ipv4Address DEFAULT_CONTROL_ADDRESS = Ipv4Address.parse("127.0.0.1");
    /** Port 8067, after the DHCP server port 67, so both are easy to remember together. */
    static final int DEFAULT_CONTROL_PORT = 8067;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");

    private OperationsReader() {
    }

    /** The operations settings of the top-level {@code fields}, or empty after reporting problems. */
    static Optional<OperationsConfig> read(Fields fields) {
        Problems problems = fields.problems();
        int before = problems.count();
        Optional<ControlConfig> control = fields.optional("control", OperationsReader::control);
        EventLogFormat format = fields.optional("event-log", OperationsReader::eventLog).orElse(EventLogFormat.TEXT);
        HistoryConfig history = fields.optional("lease-history", OperationsReader::history)
                .orElse(OperationsConfig.DEFAULTS.history());
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new OperationsConfig(control, format, history));
    }

    private static Optional<ControlConfig> control(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Ipv4Address address = fields.optional("address", Scalars.ADDRESS).orElse(DEFAULT_CONTROL_ADDRESS);
        int port = fields.optional("port", Scalars.PORT).orElse(DEFAULT_CONTROL_PORT);
        Optional<Path> tokenFile = fields.required("token-file", Scalars.text(Path::of));
        Optional<ControlConfig.TlsConfig> tls = fields.optional("tls", OperationsReader::tls);
        fields.rejectUnknown();
        if (problems.count() == before) {
            checkExposure(fields, address, tls.isPresent(), problems);
        }
        if (problems.count() != before || tokenFile.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ControlConfig(address, port, tokenFile.get(), tls));
    }

    /**
     * The API's token must not cross a network in clear, so an address off loopback needs
     * {@code tls}; and the wildcard is refused even with TLS, because the JDK's HTTP server binds
     * it as the IPv6 wildcard too, which is more than the file says.
     */
    private static void checkExposure(Fields fields, Ipv4Address address, boolean tls, Problems problems) {
        int line = fields.entry("address").map(e -> e.value().line()).orElse(0);
        if (address.isAny()) {
            problems.report(line, fields.path("address"), "0.0.0.0 would also listen on every IPv6 address;"
                    + " name the one address the API should listen on");
        } else if ((address.bits() >>> 24) != 127 && !tls) {
            problems.report(line, fields.path("address"), address + " is not loopback and control.tls is not set:"
                    + " the bearer token would cross the network in clear; add control.tls or listen on 127.0.0.1");
        }
    }

    private static Optional<ControlConfig.TlsConfig> tls(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        Optional<Path> keystore = fields.required("keystore", Scalars.text(Path::of));
        Optional<Path> password = fields.required("password-file", Scalars.text(Path::of));
        fields.rejectUnknown();
        return keystore.isPresent() && password.isPresent()
                ? Optional.of(new ControlConfig.TlsConfig(keystore.get(), password.get())) : Optional.empty();
    }

    private static Optional<EventLogFormat> eventLog(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        EventLogFormat format = fields.optional("format", Scalars.enumeration(EventLogFormat.class))
                .orElse(EventLogFormat.TEXT);
        fields.rejectUnknown();
        return problems.count() == before ? Optional.of(format) : Optional.empty();
    }

    private static Optional<HistoryConfig> history(RawNode node, String path, Problems problems) {
        Optional<Fields> maybe = Fields.of(node, path, problems);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = maybe.get();
        int before = problems.count();
        Duration retention = fields.optional("retention", Scalars.DURATION)
                .orElse(OperationsConfig.DEFAULT_HISTORY_RETENTION);
        long maxBytes = fields.optional("max-size", Scalars.text(OperationsReader::parseSize))
                .orElse(OperationsConfig.DEFAULT_HISTORY_MAX_BYTES);
        fields.rejectUnknown();
        return problems.count() == before ? Optional.of(new HistoryConfig(retention, maxBytes)) : Optional.empty();
    }

    /** {@code 1048576}, {@code 64MiB}, {@code 1 GiB}: binary units, at least 64 KiB (one history segment). */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write bytes (1048576) or a number"
                    + " with a unit: B, KiB, MiB, GiB, TiB");
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            case "tib" -> 40;
            default -> 0;
        };
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        long bytes = value << shift;
        if (bytes < 64 << 10) {
            throw new IllegalArgumentException("'" + text + "' is too small; the history needs at least 64KiB");
        }
        return bytes;
    }
}
