package dev.leasehold.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The value type of an option, with its configuration text form and its wire form (RFC 2132 §2
 * and the RFCs named on each constant). {@link #parseText} turns configuration text into wire
 * bytes and refuses anything it cannot encode exactly; {@link #formatText} turns wire bytes back
 * into the same text, for logs and the API, and falls back to colon hex ("01:02:0a") when the
 * bytes do not have the shape of the type.
 *
 * <p>Text forms: lists are comma-separated ("10.0.0.1, 10.0.0.2"); numbers decimal; booleans
 * {@code true}/{@code false}; raw bytes colon hex. The composite types document theirs.
 */
public enum OptionType {

    /** One IPv4 address, 4 bytes (e.g. option 1, RFC 2132 §3.3). */
    IPV4_ADDRESS {
        @Override
        public byte[] parseText(String text) {
            return TextValues.address(required(text, "an IPv4 address")).toBytes();
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 4;
        }

        @Override
        String format(byte[] v) {
            return Ipv4Address.read(v, 0).toString();
        }
    },

    /** One or more IPv4 addresses, 4n bytes, n ≥ 1 (e.g. option 3, RFC 2132 §3.5). */
    IPV4_ADDRESS_LIST {
        @Override
        public byte[] parseText(String text) {
            return addressList(TextValues.items(text, "IPv4 addresses"));
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && v.length % 4 == 0;
        }

        @Override
        String format(byte[] v) {
            return formatAddresses(v);
        }
    },

    /**
     * Zero or more IPv4 addresses: option 68, mobile IP home agent, whose empty value means
     * "no home agents" (RFC 2132 §8.13, "the minimum length is 0"). The empty text is the empty list.
     */
    IPV4_ADDRESS_LIST_OR_EMPTY {
        @Override
        public byte[] parseText(String text) {
            return text == null || text.isBlank() ? new byte[0] : addressList(TextValues.items(text, "IPv4 addresses"));
        }

        @Override
        public boolean allowsEmpty() {
            return true;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length % 4 == 0;
        }

        @Override
        String format(byte[] v) {
            return formatAddresses(v);
        }
    },

    /**
     * Pairs of IPv4 addresses, 8n bytes (options 21 and 33, RFC 2132 §4.5, §5.8). Text:
     * {@code "10.0.0.0 - 10.0.0.1, 10.1.0.0 - 10.0.0.2"}; a flat list of an even number of
     * addresses (Kea's form) is read as consecutive pairs.
     */
    IPV4_ADDRESS_PAIRS {
        @Override
        public byte[] parseText(String text) {
            List<String> items = TextValues.items(text, "address pairs such as '10.0.0.0 - 10.0.0.1'");
            List<String> flat = new ArrayList<>();
            boolean dashed = items.getFirst().contains("-");
            for (String item : items) {
                if (item.contains("-") != dashed) {
                    throw new IllegalArgumentException("'" + text + "': write every pair as 'address - address'");
                }
                if (dashed) {
                    String[] ab = item.split("-", -1);
                    if (ab.length != 2) {
                        throw new IllegalArgumentException("'" + item + "' is not an address pair (write 'address - address')");
                    }
                    flat.add(ab[0]);
                    flat.add(ab[1]);
                } else {
                    flat.add(item);
                }
            }
            if (flat.size() % 2 != 0) {
                throw new IllegalArgumentException("'" + text + "' has an odd number of addresses; pairs are needed");
            }
            return addressList(flat);
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && v.length % 8 == 0;
        }

        @Override
        String format(byte[] v) {
            StringJoiner out = new StringJoiner(", ");
            for (int i = 0; i < v.length; i += 8) {
                out.add(Ipv4Address.read(v, i) + " - " + Ipv4Address.read(v, i + 4));
            }
            return out.toString();
        }
    },

    /** An unsigned byte (e.g. option 23, RFC 2132 §4.6). */
    UINT8 {
        @Override
        public byte[] parseText(String text) {
            return new byte[] {(byte) TextValues.unsigned(text, 8)};
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 1;
        }

        @Override
        String format(byte[] v) {
            return Integer.toString(v[0] & 0xFF);
        }
    },

    /** One or more unsigned bytes (option 55, RFC 2132 §9.8: a list of option codes). */
    UINT8_LIST {
        @Override
        public byte[] parseText(String text) {
            List<String> items = TextValues.items(text, "numbers 0-255");
            byte[] out = new byte[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) TextValues.unsigned(items.get(i), 8);
            }
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0;
        }

        @Override
        String format(byte[] v) {
            StringJoiner out = new StringJoiner(", ");
            for (byte b : v) {
                out.add(Integer.toString(b & 0xFF));
            }
            return out.toString();
        }
    },

    /** An unsigned 16-bit number, network order (e.g. option 26, RFC 2132 §5.1). */
    UINT16 {
        @Override
        public byte[] parseText(String text) {
            byte[] out = new byte[2];
            TextValues.putU16(out, 0, (int) TextValues.unsigned(text, 16));
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 2;
        }

        @Override
        String format(byte[] v) {
            return Integer.toString(TextValues.u16(v, 0));
        }
    },

    /** One or more unsigned 16-bit numbers (option 25, RFC 2132 §4.8; option 93, RFC 4578 §2.1). */
    UINT16_LIST {
        @Override
        public byte[] parseText(String text) {
            List<String> items = TextValues.items(text, "numbers 0-65535");
            byte[] out = new byte[items.size() * 2];
            for (int i = 0; i < items.size(); i++) {
                TextValues.putU16(out, 2 * i, (int) TextValues.unsigned(items.get(i), 16));
            }
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && v.length % 2 == 0;
        }

        @Override
        String format(byte[] v) {
            StringJoiner out = new StringJoiner(", ");
            for (int i = 0; i < v.length; i += 2) {
                out.add(Integer.toString(TextValues.u16(v, i)));
            }
            return out.toString();
        }
    },

    /** An unsigned 32-bit number, network order (e.g. option 51, RFC 2132 §9.2). */
    UINT32 {
        @Override
        public byte[] parseText(String text) {
            byte[] out = new byte[4];
            TextValues.putS32(out, 0, (int) TextValues.unsigned(text, 32));
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 4;
        }

        @Override
        String format(byte[] v) {
            return Long.toString(Integer.toUnsignedLong(TextValues.s32(v, 0)));
        }
    },

    /** A signed 32-bit number, two's complement (option 2, time offset, RFC 2132 §3.4). */
    INT32 {
        @Override
        public byte[] parseText(String text) {
            byte[] out = new byte[4];
            TextValues.putS32(out, 0, TextValues.signed32(text));
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 4;
        }

        @Override
        String format(byte[] v) {
            return Integer.toString(TextValues.s32(v, 0));
        }
    },

    /** One byte, 0 or 1 (e.g. option 19, RFC 2132 §4.1). Text {@code true} / {@code false}. */
    BOOLEAN {
        @Override
        public byte[] parseText(String text) {
            String t = text == null ? "" : text.trim();
            return switch (t) {
                case "true" -> new byte[] {1};
                case "false" -> new byte[] {0};
                default -> throw new IllegalArgumentException("'" + text + "' is not a boolean (write true or false)");
            };
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 1 && (v[0] == 0 || v[0] == 1);
        }

        @Override
        String format(byte[] v) {
            return v[0] == 1 ? "true" : "false";
        }
    },

    /**
     * Text of at least one byte, UTF-8 (NVT ASCII in RFC 2132 §2, e.g. option 12). The text is
     * taken as written, spaces included.
     */
    STRING {
        @Override
        public byte[] parseText(String text) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("expected text of at least one character, got an empty value");
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && TextValues.printable(v, 0, v.length) != null;
        }

        @Override
        String format(byte[] v) {
            return TextValues.printable(v, 0, v.length);
        }
    },

    /** Opaque bytes, at least one (e.g. option 43, RFC 2132 §8.4; option 61). Text: colon hex. */
    BYTES {
        @Override
        public byte[] parseText(String text) {
            byte[] out = TextValues.hex(text);
            if (out.length == 0) {
                throw new IllegalArgumentException("expected at least one hex byte (like 01:02:0a), got an empty value");
            }
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0;
        }

        @Override
        String format(byte[] v) {
            return TextValues.hex(v);
        }
    },

    /** No value at all, length 0: a flag option such as rapid commit (RFC 4039 §4). Text: empty. */
    EMPTY {
        @Override
        public byte[] parseText(String text) {
            if (text != null && !text.isBlank()) {
                throw new IllegalArgumentException("this option carries no value; got '" + text + "' (leave it empty)");
            }
            return new byte[0];
        }

        @Override
        public boolean allowsEmpty() {
            return true;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length == 0;
        }

        @Override
        String format(byte[] v) {
            return "";
        }
    },

    /**
     * One domain name as text (option 15, RFC 2132 §3.17, which carries it as characters, not
     * labels). Checked as a host name: labels of letters, digits, '-' and '_'.
     */
    DOMAIN_NAME {
        @Override
        public byte[] parseText(String text) {
            DomainNames.labels(required(text, "a domain name"));
            return text.trim().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            String s = TextValues.printable(v, 0, v.length);
            if (s == null) {
                return false;
            }
            try {
                DomainNames.labels(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        @Override
        String format(byte[] v) {
            return new String(v, StandardCharsets.US_ASCII);
        }
    },

    /**
     * Domain search list, option 119 (RFC 3397 §2): names in RFC 1035 label form, one after the
     * other. Encoded with compression (RFC 1035 §4.1.4), which RFC 3397 requires clients to
     * accept; decoded with or without it. Text: {@code "example.com, corp.example.com"}.
     */
    DOMAIN_SEARCH_LIST {
        @Override
        public byte[] parseText(String text) {
            return DomainNames.encodeList(TextValues.items(text, "domain names"), true);
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && parses(() -> DomainNames.decodeList(v));
        }

        @Override
        String format(byte[] v) {
            return String.join(", ", DomainNames.decodeList(v));
        }
    },

    /**
     * Classless static routes, option 121 (RFC 3442 §3): for each route the prefix length, the
     * significant octets of the destination, then the router. Text:
     * {@code "10.0.0.0/8 - 10.0.0.1, 0.0.0.0/0 - 192.168.1.1"}. A destination with bits set
     * past its prefix length is refused rather than silently cut.
     */
    CLASSLESS_ROUTES {
        @Override
        public byte[] parseText(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String item : TextValues.items(text, "routes such as '10.0.0.0/8 - 10.0.0.1'")) {
                String[] parts = item.split("-", -1);
                String[] prefix = parts[0].split("/", -1);
                if (parts.length != 2 || prefix.length != 2) {
                    throw new IllegalArgumentException("'" + item + "' is not a route (write 'destination/length - router', e.g. '10.0.0.0/8 - 10.0.0.1')");
                }
                Ipv4Address destination = TextValues.address(prefix[0]);
                int width = (int) TextValues.unsigned(prefix[1], 8);
                if (width > 32) {
                    throw new IllegalArgumentException("'" + item + "': a prefix length is 0-32");
                }
                long mask = width == 0 ? 0 : (0xFFFFFFFFL << (32 - width)) & 0xFFFFFFFFL;
                if ((destination.toLong() & ~mask) != 0) {
                    throw new IllegalArgumentException("'" + item + "': " + destination + " has bits set past /" + width
                            + " (did you mean " + Ipv4Address.ofLong(destination.toLong() & mask) + "/" + width + "?)");
                }
                Ipv4Address router = TextValues.address(parts[1]);
                out.write(width);
                out.write(destination.toBytes(), 0, (width + 7) / 8);
                out.write(router.toBytes(), 0, 4);
            }
            return out.toByteArray();
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            int p = 0;
            while (p < v.length) {
                int width = v[p] & 0xFF;
                if (width > 32) {
                    return false;
                }
                p += 1 + (width + 7) / 8 + 4;
            }
            return v.length > 0 && p == v.length;
        }

        @Override
        String format(byte[] v) {
            StringJoiner out = new StringJoiner(", ");
            int p = 0;
            while (p < v.length) {
                int width = v[p++] & 0xFF;
                byte[] destination = new byte[4];
                int n = (width + 7) / 8;
                System.arraycopy(v, p, destination, 0, n);
                p += n;
                out.add(Ipv4Address.read(destination, 0) + "/" + width + " - " + Ipv4Address.read(v, p));
                p += 4;
            }
            return out.toString();
        }
    },

    /**
     * User class, option 77 (RFC 3004 §4): one or more instances, each a length byte and at
     * least one byte of data. Text: the instances as comma-separated text,
     * {@code "accounting, lab"}.
     */
    USER_CLASS {
        @Override
        public byte[] parseText(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String item : TextValues.items(text, "user classes")) {
                byte[] b = item.getBytes(StandardCharsets.UTF_8);
                if (b.length > 255) {
                    throw new IllegalArgumentException("user class '" + item + "' is longer than 255 bytes");
                }
                out.write(b.length);
                out.write(b, 0, b.length);
            }
            return out.toByteArray();
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            int p = 0;
            while (p < v.length) {
                int len = v[p] & 0xFF;
                String s = len == 0 || p + 1 + len > v.length ? null : TextValues.printable(v, p + 1, p + 1 + len);
                if (s == null || s.contains(",") || !s.equals(s.trim())) {
                    return false;
                }
                p += 1 + len;
            }
            return v.length > 0;
        }

        @Override
        String format(byte[] v) {
            StringJoiner out = new StringJoiner(", ");
            for (int p = 0; p < v.length; p += 1 + (v[p] & 0xFF)) {
                out.add(TextValues.printable(v, p + 1, p + 1 + (v[p] & 0xFF)));
            }
            return out.toString();
        }
    },

    /**
     * Client FQDN, option 81 (RFC 4702 §2): flags, RCODE1, RCODE2, then the name, in label form
     * when the E flag (0x04) is set (§2.3.1), else as ASCII. Text, as Kea writes it:
     * {@code "flags, rcode1, rcode2, name"}, e.g. {@code "5, 255, 255, host.example.com."}; a
     * name without the trailing dot is a partial name (§3.1), an empty one asks the server to
     * choose.
     */
    CLIENT_FQDN {
        @Override
        public byte[] parseText(String text) {
            String[] parts = (text == null ? "" : text).split(",", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("'" + text + "' is not a client FQDN (write 'flags, rcode1, rcode2, name', e.g. '5, 255, 255, host.example.com.')");
            }
            int flags = (int) TextValues.unsigned(parts[0], 8);
            int rcode1 = (int) TextValues.unsigned(parts[1], 8);
            int rcode2 = (int) TextValues.unsigned(parts[2], 8);
            String name = parts[3].trim();
            byte[] encoded;
            if (name.isEmpty()) {
                encoded = new byte[0];
            } else if ((flags & 0x04) != 0) {
                encoded = DomainNames.encodeName(name, !name.endsWith("."));
            } else {
                DomainNames.labels(name);
                encoded = name.getBytes(StandardCharsets.US_ASCII);
            }
            byte[] out = new byte[3 + encoded.length];
            out[0] = (byte) flags;
            out[1] = (byte) rcode1;
            out[2] = (byte) rcode2;
            System.arraycopy(encoded, 0, out, 3, encoded.length);
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length >= 3 && parses(() -> fqdnName(v));
        }

        @Override
        String format(byte[] v) {
            String name = fqdnName(v);
            return (v[0] & 0xFF) + ", " + (v[1] & 0xFF) + ", " + (v[2] & 0xFF) + "," + (name.isEmpty() ? "" : " " + name);
        }

        private static String fqdnName(byte[] v) {
            if (v.length == 3) {
                return "";
            }
            if ((v[0] & 0x04) != 0) {
                String name = DomainNames.decodeName(v, 3, v.length);
                if (name.equals(".")) {
                    throw new IllegalArgumentException("root name");
                }
                return name;
            }
            String name = TextValues.printable(v, 3, v.length);
            if (name == null) {
                throw new IllegalArgumentException("not text");
            }
            DomainNames.labels(name);
            return name;
        }
    },

    /**
     * Relay agent information, option 82 (RFC 3046 §2.0): sub-options, each code, length and
     * value. Text: {@code "code=hex, ..."}, e.g. {@code "1=00:04:00:01, 2=aa:bb:cc"}, the codes
     * decimal (1 circuit id, 2 remote id, 5 link selection, 11 server identifier override, 19
     * relay source port). {@link RelayAgentInformation} gives them names and types.
     */
    RELAY_AGENT_INFO {
        @Override
        public byte[] parseText(String text) {
            return subOptions(text, 1);
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && tlvEnd(v, 0, v.length, 1) == v.length;
        }

        @Override
        String format(byte[] v) {
            return formatSubOptions(v, 1);
        }
    },

    /**
     * V-I vendor class, option 124 (RFC 3925 §3): for each vendor a 4-byte enterprise number, a
     * length byte and that vendor's class data. Text: {@code "enterprise=hex, ..."}, e.g.
     * {@code "4491=05:68:65:6c:6c:6f"}.
     */
    VIVCO {
        @Override
        public byte[] parseText(String text) {
            return subOptions(text, 4);
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            return v.length > 0 && tlvEnd(v, 0, v.length, 4) == v.length;
        }

        @Override
        String format(byte[] v) {
            return formatSubOptions(v, 4);
        }
    },

    /**
     * V-I vendor-specific information, option 125 (RFC 3925 §4): for each vendor a 4-byte
     * enterprise number, a length byte and that vendor's sub-options (code, length, value).
     * Text as for {@link #VIVCO}; the sub-options of each vendor must be well formed.
     */
    VIVSO {
        @Override
        public byte[] parseText(String text) {
            byte[] out = subOptions(text, 4);
            if (!isWellFormed(out)) {
                throw new IllegalArgumentException("'" + text + "': each vendor's data must be sub-options (code, length, value)");
            }
            return out;
        }

        @Override
        public boolean isWellFormed(byte[] v) {
            if (v.length == 0 || tlvEnd(v, 0, v.length, 4) != v.length) {
                return false;
            }
            for (int p = 0; p < v.length; p += 5 + (v[p + 4] & 0xFF)) {
                if (tlvEnd(v, p + 5, p + 5 + (v[p + 4] & 0xFF), 1) != p + 5 + (v[p + 4] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String format(byte[] v) {
            return formatSubOptions(v, 4);
        }
    };

    /**
     * Configuration text to wire bytes.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what was
     *     expected; never a default value in place of a wrong one
     */
    public abstract byte[] parseText(String text);

    /** Whether {@code value} has the shape this type requires. */
    public abstract boolean isWellFormed(byte[] value);

    /** Whether a zero-length value is legal; for most types it is not (RFC 2132 §2 minimum lengths). */
    public boolean allowsEmpty() {
        return false;
    }

    /**
     * Wire bytes to the text form {@link #parseText} reads; bytes without this type's shape come
     * back as colon hex ("01:02:0a"), so a log line never fails on a client's odd option.
     */
    public String formatText(byte[] value) {
        if (!isWellFormed(value)) {
            return TextValues.hex(value);
        }
        return format(value);
    }

    /**
     * Wire bytes to a typed value; {@link OptionValue.Opaque} when they do not have this type's
     * shape, so reading a client's odd option never throws.
     */
    public OptionValue decode(byte[] value) {
        if (!isWellFormed(value)) {
            return new OptionValue.Opaque(value);
        }
        return OptionValueDecoder.decode(this, value);
    }

    /** Formats a value already known to be well formed. */
    abstract String format(byte[] value);

    private static String required(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected " + what + ", got an empty value");
        }
        return text;
    }

    private static byte[] addressList(List<String> items) {
        byte[] out = new byte[items.size() * 4];
        for (int i = 0; i < items.size(); i++) {
            TextValues.address(items.get(i)).writeTo(out, 4 * i);
        }
        return out;
    }

    private static String formatAddresses(byte[] v) {
        StringJoiner out = new StringJoiner(", ");
        for (int i = 0; i < v.length; i += 4) {
            out.add(Ipv4Address.read(v, i).toString());
        }
        return out.toString();
    }

    private static boolean parses(Runnable decode) {
        try {
            decode.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Walks code/length/value records with a code of {@code codeBytes} bytes and a one-byte
     * length from {@code from}; answers where the last complete record ends, or -1 when one
     * runs past {@code to}.
     */
    static int tlvEnd(byte[] v, int from, int to, int codeBytes) {
        int p = from;
        while (p < to) {
            if (p + codeBytes + 1 > to) {
                return -1;
            }
            int len = v[p + codeBytes] & 0xFF;
            p += codeBytes + 1 + len;
            if (p > to) {
                return -1;
            }
        }
        return p;
    }

    private static byte[] subOptions(String text, int codeBytes) {
        String what = codeBytes == 1 ? "sub-options such as '1=00:04:00:01'" : "vendor data such as '4491=01:02:03'";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String item : TextValues.items(text, what)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + item + "' is not code=hex (expected " + what + ")");
            }
            long code = TextValues.unsigned(item.substring(0, eq), codeBytes * 8);
            String hex = item.substring(eq + 1).trim();
            byte[] value = hex.isEmpty() ? new byte[0] : TextValues.hex(hex);
            if (value.length > 255) {
                throw new IllegalArgumentException("'" + item + "': a value is at most 255 bytes");
            }
            for (int i = codeBytes - 1; i >= 0; i--) {
                out.write((int) (code >>> (8 * i)));
            }
            out.write(value.length);
            out.write(value, 0, value.length);
        }
        return out.toByteArray();
    }

    private static String formatSubOptions(byte[] v, int codeBytes) {
        StringJoiner out = new StringJoiner(", ");
        int p = 0;
        while (p < v.length) {
            long code = 0;
            for (int i = 0; i < codeBytes; i++) {
                code = (code << 8) | (v[p + i] & 0xFF);
            }
            int len = v[p + codeBytes] & 0xFF;
            int start = p + codeBytes + 1;
            out.add(code + "=" + TextValues.hex(v, start, start + len));
            p = start + len;
        }
        return out.toString();
    }
}
