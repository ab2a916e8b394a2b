package dev.leasehold.migrate.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms of Kea's class test expressions (Kea ARM "Using Expressions in Classification") that
 * Leasehold's class tests can express, joined by {@code and}:
 * <ul>
 * <li>{@code substring(option[60].hex,0,N) == 'Text'} → {@code vendor-class-prefix} (RFC 2132 §9.13);
 * <li>{@code option[60].text == 'Text'} → {@code vendor-class-prefix}, approximately (a prefix, not equality);
 * <li>{@code substring(pkt4.mac,0,N) == 0x0004f2} → {@code mac-prefix};
 * <li>{@code relay4[1].hex == 'x'} and {@code relay4[2].hex == 0x…} → {@code circuit-id} and
 *     {@code remote-id} (RFC 3046 §3.1, §3.2).
 * </ul>
 * Anything else (or, not, other options, member(), regular expressions) has no equivalent.
 */
final class KeaClassTest {

    private static final String VALUE = "('(?<text>[^']*)'|0x(?<hex>[0-9a-fA-F]+))";
    private static final String VENDOR = "option\\[(60|vendor-class-identifier)\\]";
    private static final Pattern VENDOR_PREFIX = Pattern.compile(
            "substring\\(" + VENDOR + "\\.(hex|text),0,(?<n>\\d+|all)\\)==" + VALUE);
    private static final Pattern VENDOR_EQUALS = Pattern.compile(VENDOR + "\\.(hex|text)==" + VALUE);
    private static final Pattern MAC_PREFIX = Pattern.compile("substring\\(pkt4\\.mac,0,(?<n>\\d+)\\)==" + VALUE);
    private static final Pattern RELAY = Pattern.compile("relay4\\[(?<sub>[12])\\]\\.hex==" + VALUE);

    private KeaClassTest() {
    }

    static Optional<Map<String, String>> translate(String test) {
        Map<String, String> match = new LinkedHashMap<>();
        for (String part : test.split("\\s+and\\s+")) {
            String t = part.replaceAll("\\s+", "");
            if (t.startsWith("(") && t.endsWith(")")) {
                t = t.substring(1, t.length() - 1);
            }
            Matcher m;
            String key;
            if ((m = VENDOR_PREFIX.matcher(t)).matches() || (m = VENDOR_EQUALS.matcher(t)).matches()) {
                key = "vendor-class-prefix";
            } else if ((m = MAC_PREFIX.matcher(t)).matches()) {
                key = "mac-prefix";
            } else if ((m = RELAY.matcher(t)).matches()) {
                key = m.group("sub").equals("1") ? "circuit-id" : "remote-id";
            } else {
                return Optional.empty();
            }
            String value = m.group("text") != null ? m.group("text") : "0x" + m.group("hex").toLowerCase();
            if (key.equals("mac-prefix")) {
                if (m.group("hex") == null) {
                    return Optional.empty();
                }
                value = m.group("hex").toLowerCase().replaceAll("(..)(?!$)", "$1:");
            }
            if (value.isEmpty() || match.putIfAbsent(key, value) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(match);
    }

    /** True when {@link #translate} turned an equality into a prefix test. */
    static boolean isApproximate(String test) {
        for (String part : test.split("\\s+and\\s+")) {
            if (VENDOR_EQUALS.matcher(part.replaceAll("[\\s()]", "")).matches()) {
                return true;
            }
        }
        return false;
    }
}
