package dev.leasehold.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Structure-aware fuzz input for the DHCP decoder and the server pipeline: datagrams built the
 * way the wire format is laid out (RFC 2131 §2 header, the §3 magic cookie, RFC 2132 options),
 * then bent where decoders break — option lengths that lie, option overload into {@code file} and
 * {@code sname} (RFC 2132 §9.3) with options that run off their field or overload again,
 * long options split into several instances (RFC 3396) across areas, relay agent information
 * (RFC 3046) whose sub-options overrun it, truncation at every layout boundary, byte flips,
 * oversized datagrams and plain noise.
 *
 * <p>Most packets stay close enough to valid that the decoder accepts them and the engine acts
 * on them: client MACs come from a small set so that requests meet earlier leases, and addresses
 * from the ones a test configuration means something by ({@link #ADDRESSES}). Pure: every byte
 * comes from the {@link RandomGenerator} given, so a seed replays a packet.
 */
public final class HostilePackets {

    /** What a packet is built to probe. */
    public enum Shape {
        /** A well-formed client message of any type, with the options the engine reads. */
        WELL_FORMED,
        /** Well-formed, then option length bytes overwritten: past the end, zero, 255, off by one. */
        LYING_LENGTHS,
        /** Option 52 (RFC 2132 §9.3), sometimes with a bad value, and options in file and sname. */
        OVERLOADED,
        /** Options split into several instances (RFC 3396), in one area or across areas. */
        SPLIT_OPTIONS,
        /** Relayed (giaddr set) with option 82 sub-options of any length, overruns included. */
        RELAY_AGENT,
        /** A well-formed packet cut short, often at a layout boundary. */
        TRUNCATED,
        /** A well-formed packet with a few bytes overwritten. */
        MUTATED,
        /** Up to a full UDP datagram of options, and extreme option 57 (maximum message size). */
        OVERSIZED,
        /** Random bytes of random length. */
        NOISE
    }

    /** A generated datagram and how it was built. */
    public record Packet(Shape shape, byte[] bytes) {}

    /** Addresses a fuzz configuration gives meaning to (its server, pools, relays), and some it does not. */
    public static final int[] ADDRESSES = {
        0, 0xFFFFFFFF, ip(10, 0, 0, 1), ip(10, 0, 0, 2), ip(10, 0, 0, 10), ip(10, 0, 0, 100), ip(10, 0, 0, 150),
        ip(10, 0, 0, 199), ip(10, 0, 0, 255), ip(10, 0, 2, 1), ip(10, 0, 2, 120), ip(10, 0, 3, 130), ip(192, 0, 2, 1),
        ip(127, 0, 0, 1), ip(224, 0, 0, 1)
    };

    private static final int HEADER = 236;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int[] BOUNDARIES = {0, 1, 4, 27, 28, 43, 44, 107, 108, 235, 236, 237, 239, 240, 241, 242, 243};
    /** Option codes the engine or the decoder gives meaning to, picked more often than others. */
    private static final int[] MEANINGFUL_CODES = {53, 50, 54, 51, 61, 55, 57, 12, 81, 82, 118, 80, 60, 77, 52, 58, 59, 1, 3, 121, 0, 255};
    private static final Shape[] SHAPES = Shape.values();

    private HostilePackets() {
    }

    /** One packet, of a shape drawn evenly. */
    public static Packet next(RandomGenerator r) {
        Shape shape = SHAPES[r.nextInt(SHAPES.length)];
        return new Packet(shape, build(shape, r));
    }

    public static byte[] build(Shape shape, RandomGenerator r) {
        return switch (shape) {
            case WELL_FORMED -> wellFormed(r, false).toBytes();
            case LYING_LENGTHS -> lyingLengths(r);
            case OVERLOADED -> overloaded(r);
            case SPLIT_OPTIONS -> split(r);
            case RELAY_AGENT -> wellFormed(r, true).toBytes();
            case TRUNCATED -> truncated(r);
            case MUTATED -> mutated(r);
            case OVERSIZED -> oversized(r);
            case NOISE -> bytes(r, r.nextInt(4) == 0 ? r.nextInt(240, 600) : r.nextInt(0, 1500));
        };
    }

    // ---- the packet under construction ----

    /** Header fields and an option list, written out by {@link #toBytes}; fields are public to bend. */
    private static final class Draft {
        final byte[] header = new byte[HEADER];
        final List<byte[]> options = new ArrayList<>();
        boolean end = true;
        int padding;

        byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            out.writeBytes(header);
            out.writeBytes(new byte[] {0x63, (byte) 0x82, 0x53, 0x63});
            options.forEach(out::writeBytes);
            if (end) {
                out.write(255);
            }
            out.writeBytes(new byte[padding]);
            return out.toByteArray();
        }
    }

    private static Draft wellFormed(RandomGenerator r, boolean relayed) {
        Draft d = new Draft();
        byte[] h = d.header;
        h[0] = (byte) (r.nextInt(16) == 0 ? 2 : 1);
        h[1] = (byte) (r.nextInt(16) == 0 ? r.nextInt(256) : 1);
        h[2] = (byte) (r.nextInt(16) == 0 ? r.nextInt(17) : 6);
        h[3] = (byte) (relayed ? r.nextInt(1, 17) : r.nextInt(8) == 0 ? r.nextInt(256) : 0);
        putInt(h, 4, r.nextInt());
        putShort(h, 8, r.nextInt(4) == 0 ? r.nextInt(65536) : 0);
        putShort(h, 10, switch (r.nextInt(4)) { case 0 -> 0x8000; case 1 -> r.nextInt(65536); default -> 0; });
        int type = messageType(r);
        putInt(h, 12, type == 3 || type == 7 || type == 8 || r.nextInt(6) == 0 ? address(r) : 0); // ciaddr
        putInt(h, 16, r.nextInt(12) == 0 ? address(r) : 0);
        putInt(h, 20, r.nextInt(12) == 0 ? address(r) : 0);
        putInt(h, 24, relayed ? (r.nextBoolean() ? ip(10, 0, 2, 1) : address(r)) : r.nextInt(16) == 0 ? address(r) : 0);
        // chaddr: one of 64 MACs, so requests meet the leases of earlier ones
        h[28] = 0x02;
        h[33] = (byte) r.nextInt(64);
        if (r.nextInt(16) == 0) {
            byte[] junk = bytes(r, 10);
            System.arraycopy(junk, 0, h, 34, 10);
        }
        if (r.nextInt(16) == 0) {
            byte[] text = ("host" + r.nextInt(100)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, h, r.nextBoolean() ? SNAME : FILE, text.length);
        }
        d.options.add(option(53, new byte[] {(byte) type}));
        int extra = r.nextInt(9);
        for (int i = 0; i < extra; i++) {
            int code = MEANINGFUL_CODES[r.nextInt(MEANINGFUL_CODES.length - 2)];
            if (code != 52 && code != 82 && code != 53) {
                d.options.add(option(code, value(code, r)));
            }
        }
        if (relayed || r.nextInt(16) == 0) {
            d.options.add(option(82, relayAgentInformation(r)));
        }
        if (r.nextInt(4) == 0) {
            d.options.add(option(r.nextInt(1, 255), bytes(r, r.nextInt(0, 40))));
        }
        d.end = r.nextInt(16) != 0;
        d.padding = r.nextInt(3) == 0 ? r.nextInt(0, 64) : 0;
        return d;
    }

    private static int messageType(RandomGenerator r) {
        int pick = r.nextInt(20);
        if (pick < 16) {
            return new int[] {1, 1, 1, 3, 3, 3, 3, 4, 7, 7, 8, 1, 3, 3, 1, 3}[pick];
        }
        return pick == 16 ? r.nextInt(256) : r.nextInt(2, 19);
    }

    /** A value for {@code code}: usually of the shape its definition wants, sometimes of any length. */
    private static byte[] value(int code, RandomGenerator r) {
        if (r.nextInt(8) == 0) {
            return bytes(r, r.nextInt(0, 20));
        }
        return switch (code) {
            case 50, 54, 118, 1, 3 -> intBytes(address(r));
            case 51, 58, 59 -> intBytes(r.nextInt(6) == 0 ? r.nextInt() : r.nextInt(0, 100_000));
            case 57 -> shortBytes(new int[] {0, 1, 299, 300, 548, 576, 577, 1500, 65535, r.nextInt(65536)}[r.nextInt(10)]);
            case 61 -> r.nextBoolean() ? concat(new byte[] {1, 2, 0, 0, 0, 0, (byte) r.nextInt(64)}) : bytes(r, r.nextInt(0, 40));
            case 55 -> bytes(r, r.nextInt(0, 60));
            case 12 -> text(r, r.nextInt(0, 70));
            case 81 -> concat(new byte[] {(byte) r.nextInt(16), 0, 0}, labels(r));
            case 60 -> r.nextBoolean() ? "MSFT 5.0".getBytes(StandardCharsets.US_ASCII) : text(r, r.nextInt(0, 30));
            case 77 -> concat(new byte[] {(byte) r.nextInt(0, 8)}, "iPXE".getBytes(StandardCharsets.US_ASCII));
            case 121 -> classlessRoutes(r);
            case 80 -> new byte[0];
            default -> bytes(r, r.nextInt(0, 16));
        };
    }

    /** Option 82: sub-options 1, 2, 5, 11, 12, 151 and others, with honest or lying lengths (RFC 3046 §2.0). */
    private static byte[] relayAgentInformation(RandomGenerator r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = r.nextInt(0, 5);
        for (int i = 0; i < count; i++) {
            int sub = new int[] {1, 2, 5, 11, 12, 151, 152, 10, 9, r.nextInt(256)}[r.nextInt(10)];
            byte[] v = switch (sub) {
                case 5, 11 -> r.nextInt(4) == 0 ? bytes(r, r.nextInt(0, 8)) : intBytes(address(r));
                case 12 -> r.nextBoolean() ? shortBytes(r.nextInt(65536)) : new byte[0];
                default -> bytes(r, r.nextInt(0, r.nextInt(8) == 0 ? 255 : 12));
            };
            out.write(sub);
            out.write(r.nextInt(8) == 0 ? r.nextInt(256) : v.length);
            out.writeBytes(v);
        }
        byte[] value = out.toByteArray();
        return value.length > 255 ? Arrays.copyOf(value, 255) : value;
    }

    // ---- bending ----

    private static byte[] lyingLengths(RandomGenerator r) {
        Draft d = wellFormed(r, r.nextInt(4) == 0);
        byte[] packet = d.toBytes();
        List<Integer> lengthBytes = lengthPositions(packet, 240, packet.length);
        int lies = 1 + r.nextInt(2);
        for (int i = 0; i < lies && !lengthBytes.isEmpty(); i++) {
            int at = lengthBytes.get(r.nextInt(lengthBytes.size()));
            int honest = packet[at] & 0xFF;
            packet[at] = (byte) switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 255;
                case 2 -> honest + 1;
                case 3 -> Math.max(0, honest - 1);
                default -> packet.length - at; // exactly past the end
            };
        }
        return packet;
    }

    /** Where the length bytes of the options in {@code [from, to)} are, walking honestly. */
    private static List<Integer> lengthPositions(byte[] p, int from, int to) {
        List<Integer> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            int code = p[i] & 0xFF;
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255 || i + 1 >= to) {
                break;
            }
            out.add(i + 1);
            i += 2 + (p[i + 1] & 0xFF);
        }
        return out;
    }

    private static byte[] overloaded(RandomGenerator r) {
        Draft d = wellFormed(r, r.nextInt(4) == 0);
        int overload = r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(1, 4);
        byte[] value = r.nextInt(16) == 0 ? bytes(r, r.nextInt(0, 3)) : new byte[] {(byte) overload};
        d.options.add(r.nextInt(d.options.size() + 1), option(52, value));
        if ((overload & 1) != 0 || r.nextInt(8) == 0) {
            fillArea(d.header, FILE, 128, r);
        }
        if ((overload & 2) != 0 || r.nextInt(8) == 0) {
            fillArea(d.header, SNAME, 64, r);
        }
        return d.toBytes();
    }

    /** Options in a header field: honest, overrunning the field, without an end, or overloading again. */
    private static void fillArea(byte[] header, int at, int size, RandomGenerator r) {
        Arrays.fill(header, at, at + size, (byte) 0);
        int p = at;
        int limit = at + size;
        while (p < limit - 2 && r.nextInt(5) != 0) {
            int code = r.nextInt(10) == 0 ? 52 : MEANINGFUL_CODES[r.nextInt(MEANINGFUL_CODES.length - 2)];
            byte[] v = code == 52 ? new byte[] {(byte) r.nextInt(4)} : value(code, r);
            int room = limit - p - 2;
            int len = r.nextInt(6) == 0 ? r.nextInt(256) : Math.min(v.length, room);
            header[p] = (byte) code;
            header[p + 1] = (byte) len;
            System.arraycopy(v, 0, header, p + 2, Math.min(Math.min(v.length, room), len));
            p += 2 + len;
        }
        if (p < limit && r.nextInt(4) != 0) {
            header[p] = (byte) 255;
        }
    }

    private static byte[] split(RandomGenerator r) {
        Draft d = wellFormed(r, r.nextInt(3) == 0);
        int code = new int[] {61, 12, 82, 55, 121, 53, 50, 57, 81, 77, r.nextInt(1, 255)}[r.nextInt(11)];
        byte[] whole = code == 82 ? concat(relayAgentInformation(r), relayAgentInformation(r), relayAgentInformation(r))
                : r.nextInt(3) == 0 ? bytes(r, r.nextInt(200, 700)) : value(code, r);
        int pieces = Math.min(1 + r.nextInt(4), Math.max(1, whole.length));
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < pieces; i++) {
            int to = i == pieces - 1 ? whole.length : Math.min(whole.length, from + r.nextInt(0, Math.max(1, whole.length - from) + 1));
            byte[] piece = Arrays.copyOfRange(whole, from, to);
            while (piece.length > 255) {
                parts.add(Arrays.copyOf(piece, 255));
                piece = Arrays.copyOfRange(piece, 255, piece.length);
            }
            parts.add(piece);
            from = to;
        }
        boolean acrossAreas = r.nextInt(3) == 0;
        if (acrossAreas) {
            // RFC 3396 §5: the instances are concatenated in the order options, file, sname.
            d.options.add(option(52, new byte[] {3}));
            int fileAt = FILE;
            int snameAt = SNAME;
            for (byte[] part : parts) {
                boolean toFile = r.nextBoolean();
                int at = toFile ? fileAt : snameAt;
                int limit = toFile ? FILE + 127 : SNAME + 63;
                if (at + 2 + part.length <= limit) {
                    d.header[at] = (byte) code;
                    d.header[at + 1] = (byte) part.length;
                    System.arraycopy(part, 0, d.header, at + 2, part.length);
                    if (toFile) {
                        fileAt += 2 + part.length;
                    } else {
                        snameAt += 2 + part.length;
                    }
                } else {
                    d.options.add(option(code, part));
                }
            }
            d.header[fileAt] = (byte) 255;
            d.header[snameAt] = (byte) 255;
        } else {
            for (byte[] part : parts) {
                d.options.add(r.nextInt(d.options.size() + 1), option(code, part));
            }
        }
        return d.toBytes();
    }

    private static byte[] truncated(RandomGenerator r) {
        byte[] whole = build(r.nextBoolean() ? Shape.WELL_FORMED : Shape.OVERLOADED, r);
        int cut = r.nextBoolean() ? BOUNDARIES[r.nextInt(BOUNDARIES.length)] : r.nextInt(0, whole.length + 1);
        if (r.nextBoolean()) {
            List<Integer> lengths = lengthPositions(whole, 240, whole.length);
            if (!lengths.isEmpty()) {
                cut = lengths.get(r.nextInt(lengths.size())) + r.nextInt(0, 3); // inside an option
            }
        }
        return Arrays.copyOf(whole, Math.min(cut, whole.length));
    }

    private static byte[] mutated(RandomGenerator r) {
        byte[] packet = build(r.nextInt(3) == 0 ? Shape.OVERLOADED : Shape.WELL_FORMED, r);
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(3) == 0 ? r.nextInt(packet.length) : Math.min(packet.length - 1, 236 + r.nextInt(Math.max(1, packet.length - 236)));
            packet[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : new int[] {0, 1, 0x7F, 0x80, 0xFF, 52, 53, 82, 255}[r.nextInt(9)]);
        }
        return packet;
    }

    private static byte[] oversized(RandomGenerator r) {
        Draft d = wellFormed(r, r.nextBoolean());
        d.options.add(0, option(57, shortBytes(new int[] {576, 577, 1500, 9000, 65535, 0}[r.nextInt(6)])));
        d.options.add(option(55, bytes(r, 255)));
        int target = r.nextInt(4) == 0 ? 65_507 : r.nextInt(600, 4000);
        int size = 241 + d.options.stream().mapToInt(o -> o.length).sum();
        while (size + 257 < target) {
            byte[] o = option(r.nextInt(4) == 0 ? 61 : r.nextInt(1, 255), bytes(r, 255));
            if ((o[0] & 0xFF) == 52 || (o[0] & 0xFF) == 53) {
                continue;
            }
            d.options.add(o);
            size += o.length;
        }
        return d.toBytes();
    }

    // ---- bytes ----

    private static byte[] option(int code, byte[] value) {
        byte[] out = new byte[2 + value.length];
        out[0] = (byte) code;
        out[1] = (byte) value.length;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }

    private static byte[] classlessRoutes(RandomGenerator r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int routes = r.nextInt(0, 4);
        for (int i = 0; i < routes; i++) {
            int width = r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(0, 33);
            out.write(width);
            out.writeBytes(bytes(r, Math.min(4, (width + 7) / 8)));
            out.writeBytes(intBytes(address(r)));
        }
        return out.toByteArray();
    }

    private static byte[] labels(RandomGenerator r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int labels = r.nextInt(0, 4);
        for (int i = 0; i < labels; i++) {
            int len = r.nextInt(8) == 0 ? r.nextInt(64, 256) : r.nextInt(0, 12);
            out.write(len);
            out.writeBytes(text(r, Math.min(len, 40)));
        }
        if (r.nextBoolean()) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] text(RandomGenerator r, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (r.nextInt(10) == 0 ? r.nextInt(256) : 'a' + r.nextInt(26));
        }
        return out;
    }

    private static byte[] bytes(RandomGenerator r, int length) {
        byte[] out = new byte[length];
        r.nextBytes(out);
        return out;
    }

    private static int address(RandomGenerator r) {
        return r.nextInt(6) == 0 ? r.nextInt() : ADDRESSES[r.nextInt(ADDRESSES.length)];
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] shortBytes(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static void putInt(byte[] b, int at, int v) {
        System.arraycopy(intBytes(v), 0, b, at, 4);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }
}
