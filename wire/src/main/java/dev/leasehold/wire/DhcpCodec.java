package dev.leasehold.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bytes ↔ {@link DhcpMessage}: the whole RFC 2131 §2 message, the magic cookie (RFC 2131 §3) and
 * the options (RFC 2132), with option overload (RFC 2132 §9.3) and long options (RFC 3396).
 * Pure and strict: no state, no I/O, and bad input is one {@link MalformedMessageException}.
 *
 * <h2>Decoding</h2>
 * The options field is read, then {@code file} and {@code sname} when option 52 says they carry
 * options; instances of one code are joined in that order (RFC 3396 §6). Option 52 itself is not
 * kept and an overloaded field reads as zeros. Unknown options and message types are kept byte
 * for byte, in order. A missing end option is tolerated when the area runs out exactly.
 *
 * <h2>Encoding</h2>
 * Options go out in the message's order, except that option 82 goes last (RFC 3046 §2.1, §2.2:
 * relay agents look for it at the end and strip it); values over 255 bytes are split into
 * consecutive instances (RFC 3396 §7). When the options do not fit the size limit, the
 * {@code file} and then the {@code sname} field carry the overflow if the message leaves them
 * zero (RFC 2132 §9.3); option 82 stays in the options field. The message is padded with zeros
 * to 300 bytes, the BOOTP minimum (RFC 1542 §3.3 / RFC 951). Any option 52 in the message is
 * ignored: the encoder decides overload itself.
 */
public final class DhcpCodec {

    /** Fixed header (op … file) in bytes (RFC 2131 §2). */
    public static final int HEADER_LENGTH = 236;
    /** Where the options field starts: header plus magic cookie. */
    public static final int OPTIONS_OFFSET = 240;
    /** A BOOTP message is at least this long (RFC 1542 §3.3); shorter replies are padded. */
    public static final int MIN_MESSAGE_SIZE = 300;
    /**
     * The DHCP message every client must accept when it sends no option 57: a 576-byte IP
     * datagram less 20 bytes IP and 8 bytes UDP header (RFC 2131 §2, RFC 2132 §9.10).
     */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 576 - 28;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    static final int MAGIC_COOKIE = 0x63825363;
    private static final int SNAME_OFFSET = 44;
    private static final int FILE_OFFSET = 108;

    private DhcpCodec() {
    }

    // ---------------------------------------------------------------- decode

    /** Decodes a whole array. */
    public static DhcpMessage decode(byte[] data) throws MalformedMessageException {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes the message in {@code data[offset, offset + length)}, copying what it keeps, so the
     * receive buffer can be reused at once. Offsets in a {@link MalformedMessageException} count
     * from {@code offset}.
     *
     * @throws MalformedMessageException for any input that is not a well-formed DHCP message
     * @throws IndexOutOfBoundsException when offset and length do not lie inside {@code data}
     */
    public static DhcpMessage decode(byte[] data, int offset, int length) throws MalformedMessageException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length < HEADER_LENGTH) {
            throw new MalformedMessageException(length, "truncated header: " + length + " bytes, the BOOTP header alone is 236 (RFC 2131 §2)");
        }
        if (length < OPTIONS_OFFSET) {
            throw new MalformedMessageException(HEADER_LENGTH, "the message ends before the magic cookie (RFC 2131 §3)");
        }
        int op = data[offset] & 0xFF;
        if (op != 1 && op != 2) {
            throw new MalformedMessageException(0, "op is " + op + ", neither 1 (BOOTREQUEST) nor 2 (BOOTREPLY)");
        }
        int hlen = data[offset + 2] & 0xFF;
        if (hlen > DhcpMessage.CHADDR_LENGTH) {
            throw new MalformedMessageException(2, "hlen is " + hlen + ", more than the 16 bytes of chaddr");
        }
        int cookie = TextValues.s32(data, offset + HEADER_LENGTH);
        if (cookie != MAGIC_COOKIE) {
            throw new MalformedMessageException(HEADER_LENGTH, "magic cookie is 0x" + Integer.toHexString(cookie)
                    + ", not 0x63825363 (RFC 2131 §3)");
        }
        OptionScanner scanner = new OptionScanner(data, offset);
        scanner.walk(OPTIONS_OFFSET, length, OptionScanner.AREA_OPTIONS);
        int overload = scanner.overload();
        if ((overload & 1) != 0) {
            scanner.walk(FILE_OFFSET, HEADER_LENGTH, OptionScanner.AREA_FILE);
        }
        if ((overload & 2) != 0) {
            scanner.walk(SNAME_OFFSET, FILE_OFFSET, OptionScanner.AREA_SNAME);
        }
        DhcpOptions options = scanner.finish();
        int o = offset;
        return new DhcpMessage(
                op == 1 ? DhcpMessage.BootOp.BOOTREQUEST : DhcpMessage.BootOp.BOOTREPLY,
                data[o + 1] & 0xFF,
                hlen,
                data[o + 3] & 0xFF,
                TextValues.s32(data, o + 4),
                TextValues.u16(data, o + 8),
                TextValues.u16(data, o + 10),
                address(data, o + 12),
                address(data, o + 16),
                address(data, o + 20),
                address(data, o + 24),
                Arrays.copyOfRange(data, o + 28, o + SNAME_OFFSET),
                (overload & 2) != 0 ? new byte[DhcpMessage.SNAME_LENGTH] : Arrays.copyOfRange(data, o + SNAME_OFFSET, o + FILE_OFFSET),
                (overload & 1) != 0 ? new byte[DhcpMessage.FILE_LENGTH] : Arrays.copyOfRange(data, o + FILE_OFFSET, o + HEADER_LENGTH),
                options);
    }

    private static Ipv4Address address(byte[] data, int at) {
        int bits = TextValues.s32(data, at);
        return bits == 0 ? Ipv4Address.ANY : new Ipv4Address(bits);
    }

    // ---------------------------------------------------------------- encode

    /**
     * The size limit for a reply to {@code request}: its option 57 less the IP and UDP headers
     * (RFC 2132 §9.10 counts the whole IP datagram), never below the 576-byte datagram every
     * client accepts (RFC 2131 §2); without option 57, that default.
     */
    public static int maxReplySize(DhcpMessage request) {
        var max = request.maxMessageSize();
        return max.isPresent() && max.getAsInt() > 576 ? max.getAsInt() - 28 : DEFAULT_MAX_MESSAGE_SIZE;
    }

    /** Encodes without a size limit beyond a UDP datagram's, into a new array of the exact size. */
    public static byte[] encode(DhcpMessage message) {
        return encode(message, MAX_UDP_PAYLOAD);
    }

    /**
     * Encodes into a new array of the exact size, at most {@code maxSize} bytes.
     *
     * @throws MessageTooLargeException when the options do not fit even with overload
     * @throws IllegalArgumentException when {@code maxSize} is below the 300-byte BOOTP minimum
     */
    public static byte[] encode(DhcpMessage message, int maxSize) {
        checkLimit(maxSize);
        int plain = plainSize(message);
        if (plain <= maxSize) {
            byte[] out = new byte[Math.max(plain, MIN_MESSAGE_SIZE)];
            write(message, out, out.length);
            return out;
        }
        byte[] out = new byte[maxSize];
        int n = encode(message, out, maxSize);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Encodes into {@code out} from index 0 and answers the length, at most
     * {@code min(maxSize, out.length)}; allocates nothing, so a server can reuse one buffer.
     *
     * @throws MessageTooLargeException when the options do not fit even with overload
     * @throws IllegalArgumentException when the limit is below the 300-byte BOOTP minimum
     */
    public static int encode(DhcpMessage message, byte[] out, int maxSize) {
        int limit = Math.min(maxSize, out.length);
        checkLimit(limit);
        int plain = plainSize(message);
        if (plain <= limit) {
            return write(message, out, Math.max(plain, MIN_MESSAGE_SIZE));
        }
        return new OverloadPacker(message, out, limit, plain).pack();
    }

    private static void checkLimit(int limit) {
        if (limit < MIN_MESSAGE_SIZE) {
            throw new IllegalArgumentException("a DHCP message needs room for at least 300 bytes, the limit is " + limit);
        }
    }

    /** Bytes of the message without overload: header, cookie, every option instance, end. */
    static int plainSize(DhcpMessage message) {
        DhcpOptions options = message.options();
        int size = OPTIONS_OFFSET + 1;
        for (int i = 0; i < options.size(); i++) {
            if (options.codeAt(i) != OptionCode.OVERLOAD) {
                size += encodedLength(options.valueAtUnsafe(i).length);
            }
        }
        return size;
    }

    /** Bytes an option value takes on the wire, split into 255-byte instances (RFC 3396 §7). */
    static int encodedLength(int valueLength) {
        int instances = valueLength == 0 ? 1 : (valueLength + 254) / 255;
        return 2 * instances + valueLength;
    }

    /** Writes the plain form into {@code out[0, size)}, size already known to hold it. */
    private static int write(DhcpMessage message, byte[] out, int size) {
        writeHeader(message, out);
        DhcpOptions options = message.options();
        int p = OPTIONS_OFFSET;
        int relayIndex = -1;
        for (int i = 0; i < options.size(); i++) {
            int code = options.codeAt(i);
            if (code == OptionCode.RELAY_AGENT_INFORMATION) {
                relayIndex = i;
            } else if (code != OptionCode.OVERLOAD) {
                p = writeOption(out, p, code, options.valueAtUnsafe(i));
            }
        }
        if (relayIndex >= 0) {
            p = writeOption(out, p, OptionCode.RELAY_AGENT_INFORMATION, options.valueAtUnsafe(relayIndex));
        }
        out[p++] = (byte) OptionCode.END;
        Arrays.fill(out, p, size, (byte) 0);
        return size;
    }

    static void writeHeader(DhcpMessage m, byte[] out) {
        out[0] = (byte) m.op().code();
        out[1] = (byte) m.htype();
        out[2] = (byte) m.hlen();
        out[3] = (byte) m.hops();
        TextValues.putS32(out, 4, m.xid());
        TextValues.putU16(out, 8, m.secs());
        TextValues.putU16(out, 10, m.flags());
        m.ciaddr().writeTo(out, 12);
        m.yiaddr().writeTo(out, 16);
        m.siaddr().writeTo(out, 20);
        m.giaddr().writeTo(out, 24);
        System.arraycopy(m.chaddr(), 0, out, 28, DhcpMessage.CHADDR_LENGTH);
        System.arraycopy(m.sname(), 0, out, SNAME_OFFSET, DhcpMessage.SNAME_LENGTH);
        System.arraycopy(m.file(), 0, out, FILE_OFFSET, DhcpMessage.FILE_LENGTH);
        TextValues.putS32(out, HEADER_LENGTH, MAGIC_COOKIE);
    }

    /** Writes one option as consecutive instances of at most 255 bytes; answers the next index. */
    static int writeOption(byte[] out, int p, int code, byte[] value) {
        int from = 0;
        do {
            int chunk = Math.min(255, value.length - from);
            out[p] = (byte) code;
            out[p + 1] = (byte) chunk;
            System.arraycopy(value, from, out, p + 2, chunk);
            p += 2 + chunk;
            from += chunk;
        } while (from < value.length);
        return p;
    }

    static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
