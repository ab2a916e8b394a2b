package dev.leasehold.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Domain names in the label encoding of RFC 1035 §3.1, with the message compression of RFC 1035
 * §4.1.4 as RFC 3397 §2 uses it in option 119 (pointers are offsets into the joined option
 * value). Text names are host names: labels of letters, digits, '-' and '_', 1–63 bytes each, at
 * most 255 bytes encoded (RFC 1035 §2.3.4).
 */
final class DomainNames {
    private static final int MAX_ENCODED = 255;

    private DomainNames() {
    }

    /** The labels of a text name, checked; an optional trailing dot is dropped. */
    static List<String> labels(String name) {
        String n = name.trim();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is not a domain name: it is empty");
        }
        List<String> out = new ArrayList<>();
        int encoded = 1;
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("'" + name + "' is not a domain name: each label between dots must be 1-63 characters");
            }
            for (int i = 0; i < label.length(); i++) {
                if (!isLabelChar(label.charAt(i))) {
                    throw new IllegalArgumentException("'" + name + "' is not a domain name: '" + label.charAt(i)
                            + "' is not allowed (letters, digits, '-' and '_' only)");
                }
            }
            encoded += label.length() + 1;
            out.add(label);
        }
        if (encoded > MAX_ENCODED) {
            throw new IllegalArgumentException("'" + name + "' is not a domain name: longer than 255 bytes encoded");
        }
        return out;
    }

    private static boolean isLabelChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /**
     * Encodes names one after the other. With {@code compress}, a name whose tail was already
     * written ends in a pointer to it (RFC 1035 §4.1.4), which keeps long search lists short.
     */
    static byte[] encodeList(List<String> names, boolean compress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Integer> written = new HashMap<>();
        for (String name : names) {
            List<String> labels = labels(name);
            int i = 0;
            for (; i < labels.size(); i++) {
                String suffix = String.join(".", labels.subList(i, labels.size())).toLowerCase(Locale.ROOT);
                Integer at = compress ? written.get(suffix) : null;
                if (at != null) {
                    out.write(0xC0 | (at >>> 8));
                    out.write(at & 0xFF);
                    break;
                }
                if (out.size() < 0x3FFF) {
                    written.putIfAbsent(suffix, out.size());
                }
                byte[] l = labels.get(i).getBytes(StandardCharsets.US_ASCII);
                out.write(l.length);
                out.write(l, 0, l.length);
            }
            if (i == labels.size()) {
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    /** One name in wire form; without the terminating root label when {@code partial} (RFC 4702 §2.3.1). */
    static byte[] encodeName(String name, boolean partial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : labels(name)) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            out.write(l.length);
            out.write(l, 0, l.length);
        }
        if (!partial) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a run of names with compression. A pointer must point strictly before the place the
     * current name or the previous jump started, so every jump goes backwards and decoding ends.
     *
     * @throws IllegalArgumentException when the bytes are not such a run
     */
    static List<String> decodeList(byte[] data) {
        List<String> names = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            StringBuilder name = new StringBuilder();
            int floor = pos;
            int p = pos;
            int next = -1;
            int encoded = 1;
            while (true) {
                if (p >= data.length) {
                    throw new IllegalArgumentException("name runs past the end at byte " + p);
                }
                int len = data[p] & 0xFF;
                if (len == 0) {
                    p++;
                    break;
                }
                if ((len & 0xC0) == 0xC0) {
                    if (p + 1 >= data.length) {
                        throw new IllegalArgumentException("compression pointer cut off at byte " + p);
                    }
                    int target = ((len & 0x3F) << 8) | (data[p + 1] & 0xFF);
                    if (target >= floor) {
                        throw new IllegalArgumentException("compression pointer at byte " + p + " does not point backwards");
                    }
                    if (next < 0) {
                        next = p + 2;
                    }
                    floor = target;
                    p = target;
                    continue;
                }
                if ((len & 0xC0) != 0) {
                    throw new IllegalArgumentException("unknown label type at byte " + p);
                }
                if (p + 1 + len > data.length) {
                    throw new IllegalArgumentException("label at byte " + p + " runs past the end");
                }
                encoded += len + 1;
                if (encoded > MAX_ENCODED) {
                    throw new IllegalArgumentException("name longer than 255 bytes at byte " + pos);
                }
                appendLabel(name, data, p + 1, len);
                p += 1 + len;
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty (root) name at byte " + pos);
            }
            names.add(name.toString());
            pos = next >= 0 ? next : p;
        }
        return names;
    }

    /**
     * One name without compression, from {@code from} to {@code to}; a name without the final
     * root label is partial and comes back without the trailing dot, a complete one with it.
     */
    static String decodeName(byte[] data, int from, int to) {
        StringBuilder name = new StringBuilder();
        int p = from;
        while (p < to) {
            int len = data[p] & 0xFF;
            if (len == 0) {
                if (p + 1 != to) {
                    throw new IllegalArgumentException("bytes after the end of the name at byte " + (p + 1));
                }
                return name.isEmpty() ? "." : name.append('.').toString();
            }
            if (len > 63 || p + 1 + len > to) {
                throw new IllegalArgumentException("bad label at byte " + p);
            }
            appendLabel(name, data, p + 1, len);
            p += 1 + len;
        }
        return name.toString();
    }

    private static void appendLabel(StringBuilder name, byte[] data, int from, int len) {
        if (!name.isEmpty()) {
            name.append('.');
        }
        for (int i = from; i < from + len; i++) {
            int c = data[i] & 0xFF;
            if (!isLabelChar(c)) {
                throw new IllegalArgumentException("character 0x" + Integer.toHexString(c) + " in a label at byte " + i);
            }
            name.append((char) c);
        }
    }
}
