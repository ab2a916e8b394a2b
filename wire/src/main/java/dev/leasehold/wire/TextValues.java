package dev.leasehold.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Small text helpers shared by the {@link OptionType} constants: numbers, hex, lists. Every
 * failure is an {@link IllegalArgumentException} whose message quotes the offending text, so a
 * configuration loader can put it after the path of the field.
 */
final class TextValues {
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    private TextValues() {
    }

    /** Splits a comma-separated list into trimmed items; an empty text or an empty item is an error. */
    static List<String> items(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a comma-separated list of " + what + ", got an empty value");
        }
        List<String> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("empty item in the list '" + text + "' (expected " + what + ")");
            }
            out.add(item);
        }
        return out;
    }

    static long unsigned(String text, int bits) {
        long max = (1L << bits) - 1;
        String t = text == null ? "" : text.trim();
        try {
            long v = Long.parseLong(t);
            if (v >= 0 && v <= max && !t.startsWith("+")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not an unsigned " + bits + "-bit number (0-" + max + ")");
    }

    static int signed32(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (!t.startsWith("+")) {
                return Integer.parseInt(t);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not a signed 32-bit number ("
                + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
    }

    static Ipv4Address address(String text) {
        return Ipv4Address.parse(text.trim());
    }

    /** Hex bytes as "01:02:0a"; also accepts "01020a" and "0x01020a". */
    static byte[] hex(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        try {
            if (t.indexOf(':') >= 0) {
                return COLON_HEX.parseHex(t);
            }
            return HexFormat.of().parseHex(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not hex bytes (write them like 01:02:0a)");
        }
    }

    static String hex(byte[] value) {
        return COLON_HEX.formatHex(value);
    }

    static String hex(byte[] value, int from, int to) {
        return COLON_HEX.formatHex(value, from, to);
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int s32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void putS32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /**
     * The bytes as text when they are valid UTF-8 without control characters, else null. Used to
     * decide whether a string option can be shown as text or must fall back to hex.
     */
    static String printable(byte[] value, int from, int to) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return null;
            }
        }
        return s;
    }
}
