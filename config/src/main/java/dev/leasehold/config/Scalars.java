package dev.leasehold.config;

import dev.leasehold.config.RawNode.Kind;
import dev.leasehold.config.RawNode.RawList;
import dev.leasehold.config.RawNode.RawScalar;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Readers for the scalar values of the file: addresses, ranges, durations, numbers, names. */
final class Scalars {
    private Scalars() {
    }

    /** The largest lease time option 51 can carry short of 0xFFFFFFFF, which means "infinite" (RFC 2132 §9.2). */
    static final long MAX_LEASE_SECONDS = 0xFFFFFFFEL;

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|us|s|m|h|d|w)");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    /** A reader of a scalar's text, where {@code parse} throws IllegalArgumentException with the reason. */
    static <T> ValueReader<T> text(Function<String, T> parse) {
        return (node, path, problems) -> scalarText(node, path, problems).flatMap(text -> {
            try {
                return Optional.of(parse.apply(text));
            } catch (IllegalArgumentException e) {
                problems.report(node, path, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** Any non-empty scalar's text as written. */
    static Optional<String> scalarText(RawNode node, String path, Problems problems) {
        if (node instanceof RawScalar(int line, String text, Kind kind) && kind != Kind.NULL) {
            if (text.isBlank()) {
                problems.report(line, path, "must not be empty");
                return Optional.empty();
            }
            return Optional.of(text);
        }
        problems.report(node, path, "expected a single value, found " + node.describe());
        return Optional.empty();
    }

    static final ValueReader<String> STRING = text(s -> s);

    static final ValueReader<Ipv4Address> ADDRESS = text(Ipv4Address::parse);

    static final ValueReader<Prefix> PREFIX = text(Prefix::parse);

    static final ValueReader<HardwareAddress> MAC = text(HardwareAddress::parseEthernet);

    static final ValueReader<ClientId> CLIENT_ID = text(ClientId::parse);

    /** A name of a class or an interface: letters, digits, '_', '.', '-'. */
    static final ValueReader<String> NAME_TEXT = text(s -> {
        if (!NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a valid name (letters, digits, '_', '.', '-')");
        }
        return s;
    });

    static final ValueReader<Boolean> BOOLEAN = (node, path, problems) -> {
        if (node instanceof RawScalar(int line, String text, Kind kind) && kind == Kind.BOOLEAN) {
            return Optional.of(isTrue(text));
        }
        problems.report(node, path, "expected true or false, found " + node.describe());
        return Optional.empty();
    };

    private static boolean isTrue(String yamlBoolean) {
        return switch (yamlBoolean.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> true;
            default -> false;
        };
    }

    /** A whole number in [{@code min}, {@code max}], written in decimal. */
    static ValueReader<Long> integer(long min, long max) {
        return (node, path, problems) -> {
            if (node instanceof RawScalar(int line, String text, Kind kind) && kind == Kind.INTEGER
                    && DIGITS.matcher(text.startsWith("-") ? text.substring(1) : text).matches()) {
                try {
                    long value = Long.parseLong(text);
                    if (value >= min && value <= max) {
                        return Optional.of(value);
                    }
                } catch (NumberFormatException e) {
                    // too long for a long: out of range below
                }
                problems.report(line, path, text + " is out of range; expected " + min + "-" + max);
                return Optional.empty();
            }
            problems.report(node, path, "expected a whole number " + min + "-" + max + ", found " + node.describe());
            return Optional.empty();
        };
    }

    static final ValueReader<Integer> PORT = (node, path, problems) ->
            integer(0, 65535).read(node, path, problems).map(Long::intValue);

    /**
     * A duration: a whole number of seconds, or text such as {@code 90s}, {@code 30m}, {@code 1h},
     * {@code 1d}, {@code 1h30m}, {@code 500ms}. Zero and negative durations are refused.
     */
    static final ValueReader<Duration> DURATION = duration(false);

    /** As {@link #DURATION}, but zero is allowed too: for a setting where 0 means "never". */
    static final ValueReader<Duration> DURATION_OR_ZERO = duration(true);

    private static ValueReader<Duration> duration(boolean zeroAllowed) {
        return (node, path, problems) -> {
            if (node instanceof RawScalar(int line, String text, Kind kind)
                    && (kind == Kind.INTEGER || kind == Kind.STRING)) {
                Optional<Duration> parsed = parseDuration(text.strip());
                if (parsed.isEmpty()) {
                    problems.report(line, path, "'" + text + "' is not a duration; write seconds (3600) or"
                            + " a number with a unit: 500ms, 90s, 30m, 1h, 1d, 1w, or a sum like 1h30m");
                    return Optional.empty();
                }
                if (parsed.get().isZero() && !zeroAllowed) {
                    problems.report(line, path, "must be longer than zero");
                    return Optional.empty();
                }
                return parsed;
            }
            problems.report(node, path, "expected a duration (3600, 90s, 30m, 1h), found " + node.describe());
            return Optional.empty();
        };
    }

    /** A duration of whole seconds, at most {@link #MAX_LEASE_SECONDS}: what options 51, 58 and 59 can carry. */
    static final ValueReader<Duration> LEASE_SECONDS = (node, path, problems) ->
            DURATION.read(node, path, problems).flatMap(d -> {
                if (d.toNanos() % 1_000_000_000L != 0 || d.toSeconds() > MAX_LEASE_SECONDS) {
                    problems.report(node, path, "must be a whole number of seconds up to " + MAX_LEASE_SECONDS
                            + " (the lease options carry 32-bit seconds), found " + format(d));
                    return Optional.empty();
                }
                return Optional.of(d);
            });

    static Optional<Duration> parseDuration(String text) {
        if (DIGITS.matcher(text).matches()) {
            return text.length() > 12 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            if (m.group(1).length() > 12) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> throw new AssertionError(m.group(2));
            });
            at = m.end();
        }
        return at == text.length() && at > 0 ? Optional.of(total) : Optional.empty();
    }

    /** A duration as the file would write it: seconds, or milliseconds, or microseconds when not whole. */
    static String format(Duration d) {
        if (d.toNanos() % 1_000_000_000L == 0) {
            return d.toSeconds() + "s";
        }
        return d.toNanos() % 1_000_000L == 0 ? d.toMillis() + "ms" : d.toNanos() / 1_000 + "us";
    }

    /** One of {@code type}'s constants, written in lower case ({@code batch} for {@code BATCH}). */
    static <E extends Enum<E>> ValueReader<E> enumeration(Class<E> type) {
        return (node, path, problems) -> scalarText(node, path, problems).flatMap(text -> {
            for (E constant : type.getEnumConstants()) {
                if (kebab(constant).equals(text)) {
                    return Optional.of(constant);
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(kebab(constant));
            }
            problems.report(node, path, "'" + text + "' is not one of " + String.join(", ", allowed));
            return Optional.empty();
        });
    }

    static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * An address range: {@code 10.0.0.100-10.0.0.199} (spaces around '-' allowed) or one address.
     */
    static final ValueReader<AddressRange> RANGE = text(Scalars::parseRange);

    static AddressRange parseRange(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            Ipv4Address one = Ipv4Address.parse(text.strip());
            return new AddressRange(one, one);
        }
        Ipv4Address first = Ipv4Address.parse(text.substring(0, dash).strip());
        Ipv4Address last = Ipv4Address.parse(text.substring(dash + 1).strip());
        return new AddressRange(first, last);
    }

    /**
     * Bytes to match against: {@code 0x} followed by hex digits (colons allowed between bytes), or
     * else the text's UTF-8 bytes.
     */
    static final ValueReader<byte[]> TEXT_OR_HEX = text(Scalars::textOrHex);

    static byte[] textOrHex(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return hex(text.substring(2), text);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A MAC prefix such as {@code 00:04:f2} (1-16 bytes, ':' or '-' between them) or {@code 0x0004f2}. */
    static final ValueReader<byte[]> MAC_PREFIX = text(text -> {
        byte[] bytes;
        if (text.startsWith("0x") || text.startsWith("0X")) {
            bytes = hex(text.substring(2), text);
        } else {
            String[] parts = text.split("[:-]", -1);
            bytes = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (!parts[i].matches("[0-9A-Fa-f]{2}")) {
                    throw new IllegalArgumentException("not a MAC prefix (hex bytes such as 00:04:f2): '" + text + "'");
                }
                bytes[i] = (byte) Integer.parseInt(parts[i], 16);
            }
        }
        if (bytes.length > 16) {
            throw new IllegalArgumentException("a MAC prefix has at most 16 bytes: '" + text + "'");
        }
        return bytes;
    });

    private static byte[] hex(String digits, String original) {
        String compact = digits.replace(":", "");
        if (compact.isEmpty() || compact.length() % 2 != 0 || !compact.matches("[0-9A-Fa-f]+")) {
            throw new IllegalArgumentException("not hex bytes (0x followed by pairs of hex digits): '" + original + "'");
        }
        return HexFormat.of().parseHex(compact);
    }

    /** A list whose items {@code item} reads; a missing (null) list is empty. Failed items are left out. */
    static <T> ValueReader<List<T>> listOf(ValueReader<T> item) {
        return (node, path, problems) -> {
            List<Located<T>> located = locatedList(item).read(node, path, problems).orElse(null);
            if (located == null) {
                return Optional.empty();
            }
            List<T> out = new ArrayList<>();
            located.forEach(l -> out.add(l.value()));
            return Optional.of(out);
        };
    }

    /** Like {@link #listOf}, keeping where each item was, for checks between items. */
    static <T> ValueReader<List<Located<T>>> locatedList(ValueReader<T> item) {
        return (node, path, problems) -> {
            if (node instanceof RawScalar(int line, String text, Kind kind) && kind == Kind.NULL) {
                return Optional.of(List.of());
            }
            if (!(node instanceof RawList list)) {
                problems.report(node, path, "expected a list, found " + node.describe());
                return Optional.empty();
            }
            List<Located<T>> out = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                RawNode child = list.items().get(i);
                String childPath = ConfigPath.index(path, i);
                item.read(child, childPath, problems).ifPresent(v -> out.add(new Located<>(v, child, childPath)));
            }
            return Optional.of(out);
        };
    }

    /** Whether {@code node} is YAML's null: a key with no value, {@code ~} or {@code null}. */
    static boolean isNull(RawNode node) {
        return node instanceof RawScalar s && s.kind() == Kind.NULL;
    }
}
