package dev.leasehold.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One DHCP message, the fixed BOOTP header and its options (RFC 2131 §2, figure 1).
 *
 * <p>{@code chaddr} is always the full 16-byte field, {@code sname} 64 bytes and {@code file}
 * 128 bytes, exactly as on the wire; {@link #hardwareAddress()} cuts chaddr to hlen. When a
 * received message overloaded sname or file with options (option 52, RFC 2132 §9.3) those
 * options are in {@link #options()} and the overloaded field reads as zeros; option 52 itself is
 * not kept, the encoder decides overload anew.
 *
 * <p>The byte arrays are not copied, for the per-packet path: whoever builds a message hands
 * them over and nobody modifies them afterwards. {@link #equals} compares contents.
 */
public record DhcpMessage(
        BootOp op,
        int htype,
        int hlen,
        int hops,
        int xid,
        int secs,
        int flags,
        Ipv4Address ciaddr,
        Ipv4Address yiaddr,
        Ipv4Address siaddr,
        Ipv4Address giaddr,
        byte[] chaddr,
        byte[] sname,
        byte[] file,
        DhcpOptions options) {

    /** The BROADCAST bit of the flags field (RFC 2131 §2, figure 2). */
    public static final int FLAG_BROADCAST = 0x8000;
    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_LENGTH = 64;
    public static final int FILE_LENGTH = 128;

    /** The op field: BOOTREQUEST from clients and relays, BOOTREPLY from servers. */
    public enum BootOp {
        BOOTREQUEST(1), BOOTREPLY(2);

        private final int code;

        BootOp(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public DhcpMessage {
        if (htype < 0 || htype > 255 || hops < 0 || hops > 255) {
            throw new IllegalArgumentException("htype and hops are one byte each");
        }
        if (hlen < 0 || hlen > CHADDR_LENGTH) {
            throw new IllegalArgumentException("hlen must be 0-16: " + hlen);
        }
        if (secs < 0 || secs > 0xFFFF || flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("secs and flags are two bytes each");
        }
        if (chaddr.length != CHADDR_LENGTH || sname.length != SNAME_LENGTH || file.length != FILE_LENGTH) {
            throw new IllegalArgumentException("chaddr, sname and file must be 16, 64 and 128 bytes");
        }
    }

    /** A fresh builder with every field zero, op BOOTREQUEST and Ethernet htype/hlen. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.op = op;
        b.htype = htype;
        b.hlen = hlen;
        b.hops = hops;
        b.xid = xid;
        b.secs = secs;
        b.flags = flags;
        b.ciaddr = ciaddr;
        b.yiaddr = yiaddr;
        b.siaddr = siaddr;
        b.giaddr = giaddr;
        b.chaddr = chaddr;
        b.sname = sname;
        b.file = file;
        b.options = options;
        return b;
    }

    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    /** htype and the first hlen bytes of chaddr. */
    public HardwareAddress hardwareAddress() {
        return new HardwareAddress(htype, Arrays.copyOf(chaddr, hlen));
    }

    /** Option 53 (RFC 2132 §9.6); empty when absent, malformed or an unknown type. */
    public Optional<MessageType> messageType() {
        byte[] v = options.getUnsafe(OptionCode.MESSAGE_TYPE);
        return v == null || v.length != 1 ? Optional.empty() : MessageType.fromCode(v[0] & 0xFF);
    }

    /** Option 50, requested IP address (RFC 2132 §9.1). */
    public Optional<Ipv4Address> requestedAddress() {
        return address(OptionCode.REQUESTED_ADDRESS);
    }

    /** Option 54, server identifier (RFC 2132 §9.7). */
    public Optional<Ipv4Address> serverIdentifier() {
        return address(OptionCode.SERVER_IDENTIFIER);
    }

    /** Option 118, subnet selection (RFC 3011). */
    public Optional<Ipv4Address> subnetSelection() {
        return address(OptionCode.SUBNET_SELECTION);
    }

    /** Option 61, client identifier (RFC 2132 §9.14, RFC 4361), a copy. */
    public Optional<byte[]> clientIdentifier() {
        return options.get(OptionCode.CLIENT_IDENTIFIER);
    }

    /** Option 51, IP address lease time in seconds (RFC 2132 §9.2). */
    public OptionalLong requestedLeaseTime() {
        byte[] v = options.getUnsafe(OptionCode.LEASE_TIME);
        if (v == null || v.length != 4) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Integer.toUnsignedLong(((v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF)));
    }

    /** Option 57, maximum DHCP message size (RFC 2132 §9.10). */
    public OptionalInt maxMessageSize() {
        byte[] v = options.getUnsafe(OptionCode.MAX_MESSAGE_SIZE);
        return v == null || v.length != 2 ? OptionalInt.empty() : OptionalInt.of(((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
    }

    /** Option 12, host name (RFC 2132 §3.14), as US-ASCII text. */
    public Optional<String> hostName() {
        byte[] v = options.getUnsafe(OptionCode.HOST_NAME);
        return v == null ? Optional.empty() : Optional.of(new String(v, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Option 55, parameter request list (RFC 2132 §9.8): the codes in the client's order. */
    public Optional<byte[]> parameterRequestList() {
        return options.get(OptionCode.PARAMETER_REQUEST_LIST);
    }

    /**
     * Option 82, relay agent information (RFC 3046 §2.0), with its sub-options; empty when
     * absent or when its sub-options do not parse.
     */
    /**
     * One sub-option of option 82 (RFC 3046 §2.0), a copy, without parsing the others; empty
     * when the message has no option 82, no such sub-option, or a malformed option 82.
     */
    public Optional<byte[]> relaySubOption(int code) {
        byte[] v = options.getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        if (v == null) {
            return Optional.empty();
        }
        int at = RelayAgentInformation.valueOffset(v, code);
        return at < 0 ? Optional.empty() : Optional.of(java.util.Arrays.copyOfRange(v, at, at + (v[at - 1] & 0xFF)));
    }

    /** Sub-option {@code code} of option 82 read as an IPv4 address (RFC 3527, RFC 5107). */
    public Optional<Ipv4Address> relaySubOptionAddress(int code) {
        byte[] v = options.getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        if (v == null) {
            return Optional.empty();
        }
        int at = RelayAgentInformation.valueOffset(v, code);
        return at < 0 || (v[at - 1] & 0xFF) != 4 ? Optional.empty() : Optional.of(Ipv4Address.read(v, at));
    }

    public Optional<RelayAgentInformation> relayAgentInformation() {
        byte[] v = options.getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RelayAgentInformation.parse(v));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Option 61 in its RFC 4361 §6.1 form (type 255, IAID, DUID), when the client sent that form. */
    public Optional<DuidClientIdentifier> duidClientIdentifier() {
        byte[] v = options.getUnsafe(OptionCode.CLIENT_IDENTIFIER);
        return v == null ? Optional.empty() : DuidClientIdentifier.parse(v);
    }

    private Optional<Ipv4Address> address(int code) {
        byte[] v = options.getUnsafe(code);
        return v == null || v.length != 4 ? Optional.empty() : Optional.of(Ipv4Address.read(v, 0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpMessage m && op == m.op && htype == m.htype && hlen == m.hlen && hops == m.hops
                && xid == m.xid && secs == m.secs && flags == m.flags && ciaddr.equals(m.ciaddr)
                && yiaddr.equals(m.yiaddr) && siaddr.equals(m.siaddr) && giaddr.equals(m.giaddr)
                && Arrays.equals(chaddr, m.chaddr) && Arrays.equals(sname, m.sname) && Arrays.equals(file, m.file)
                && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * xid + Arrays.hashCode(chaddr)) + options.hashCode();
    }

    @Override
    public String toString() {
        return "DhcpMessage[" + op + " " + messageType().map(Enum::name).orElse("BOOTP")
                + " xid=0x" + Integer.toHexString(xid) + " chaddr=" + hardwareAddress()
                + " ciaddr=" + ciaddr + " yiaddr=" + yiaddr + " siaddr=" + siaddr + " giaddr=" + giaddr
                + " flags=0x" + Integer.toHexString(flags) + " hops=" + hops + " secs=" + secs
                + (isZero(sname) ? "" : " sname=" + HexFormat.of().formatHex(sname))
                + (isZero(file) ? "" : " file=" + HexFormat.of().formatHex(file))
                + " options=" + options + "]";
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Builds a message field by field; unset fields are zero. */
    public static final class Builder {
        private BootOp op = BootOp.BOOTREQUEST;
        private int htype = HardwareAddress.ETHERNET;
        private int hlen = 6;
        private int hops;
        private int xid;
        private int secs;
        private int flags;
        private Ipv4Address ciaddr = Ipv4Address.ANY;
        private Ipv4Address yiaddr = Ipv4Address.ANY;
        private Ipv4Address siaddr = Ipv4Address.ANY;
        private Ipv4Address giaddr = Ipv4Address.ANY;
        private byte[] chaddr = new byte[CHADDR_LENGTH];
        private byte[] sname = new byte[SNAME_LENGTH];
        private byte[] file = new byte[FILE_LENGTH];
        private DhcpOptions options = DhcpOptions.empty();

        private Builder() {
        }

        public Builder op(BootOp v) { op = v; return this; }
        public Builder htype(int v) { htype = v; return this; }
        public Builder hlen(int v) { hlen = v; return this; }
        public Builder hops(int v) { hops = v; return this; }
        public Builder xid(int v) { xid = v; return this; }
        public Builder secs(int v) { secs = v; return this; }
        public Builder flags(int v) { flags = v; return this; }
        public Builder ciaddr(Ipv4Address v) { ciaddr = v; return this; }
        public Builder yiaddr(Ipv4Address v) { yiaddr = v; return this; }
        public Builder siaddr(Ipv4Address v) { siaddr = v; return this; }
        public Builder giaddr(Ipv4Address v) { giaddr = v; return this; }
        /** The full 16-byte chaddr field, handed over without a copy. */
        public Builder chaddr(byte[] v) { chaddr = v; return this; }
        public Builder sname(byte[] v) { sname = v; return this; }
        public Builder file(byte[] v) { file = v; return this; }
        public Builder options(DhcpOptions v) { options = v; return this; }

        /** Sets htype, hlen and chaddr (zero-padded to 16 bytes) from one hardware address. */
        public Builder hardwareAddress(HardwareAddress address) {
            htype = address.htype();
            hlen = address.length();
            chaddr = Arrays.copyOf(address.bytes(), CHADDR_LENGTH);
            return this;
        }

        public DhcpMessage build() {
            return new DhcpMessage(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname, file, options);
        }
    }
}
