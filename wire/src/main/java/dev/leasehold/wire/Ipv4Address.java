package dev.leasehold.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address held as its 32 bits in network order, as the fixed fields of a
 * DHCP message carry it (RFC 2131 §2, ciaddr/yiaddr/siaddr/giaddr).
 *
 * <p>A record of one {@code int}, so comparing, hashing and range arithmetic stay cheap on the
 * per-packet path and in pools of millions of addresses.
 */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

    /** 0.0.0.0: "no address" in ciaddr, yiaddr, siaddr and giaddr. */
    public static final Ipv4Address ANY = new Ipv4Address(0);
    /** 255.255.255.255: the limited broadcast address (RFC 2131 §4.1). */
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFFFFFF);

    /**
     * Parses dotted-quad text strictly: four decimal parts 0–255, no leading "+", no spaces.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static Ipv4Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IPv4 address is required");
        }
        int bits = 0;
        int parts = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || ++parts > 4) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
                bits = (bits << 8) | value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
                }
            } else {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
        }
        if (parts != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        return new Ipv4Address(bits);
    }

    /** Reads four bytes in network order starting at {@code offset}. */
    public static Ipv4Address read(byte[] bytes, int offset) {
        return new Ipv4Address(((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF));
    }

    /** The address of a JDK {@link Inet4Address}. */
    public static Ipv4Address of(Inet4Address address) {
        return read(address.getAddress(), 0);
    }

    /** Writes the four bytes in network order at {@code offset}. */
    public void writeTo(byte[] bytes, int offset) {
        bytes[offset] = (byte) (bits >>> 24);
        bytes[offset + 1] = (byte) (bits >>> 16);
        bytes[offset + 2] = (byte) (bits >>> 8);
        bytes[offset + 3] = (byte) bits;
    }

    public byte[] toBytes() {
        byte[] out = new byte[4];
        writeTo(out, 0);
        return out;
    }

    /** The address as an unsigned number, for range arithmetic. */
    public long toLong() {
        return Integer.toUnsignedLong(bits);
    }

    public static Ipv4Address ofLong(long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("outside the IPv4 range: " + value);
        }
        return new Ipv4Address((int) value);
    }

    public boolean isAny() {
        return bits == 0;
    }

    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF) + "." + (bits & 0xFF);
    }
}
