package dev.leasehold.wire;

/**
 * One IPv4 address configured on an interface, with its prefix length: what the server needs to
 * pick the subnet of a directly attached client (RFC 2131 §4.3.1: "the network segment to which
 * the client is attached").
 *
 * @param address      our address on the interface
 * @param prefixLength 0–32
 */
public record InterfaceAddress(Ipv4Address address, int prefixLength) {

    public InterfaceAddress {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32: " + prefixLength);
        }
    }

    /** The network mask as an address (255.255.255.0 for /24). */
    public Ipv4Address mask() {
        return new Ipv4Address(maskBits());
    }

    /** The first address of the prefix (192.0.2.0 for 192.0.2.1/24). */
    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & maskBits());
    }

    /** The directed broadcast address of the prefix (192.0.2.255 for /24; RFC 919 §7). */
    public Ipv4Address directedBroadcast() {
        return new Ipv4Address(address.bits() | ~maskBits());
    }

    /** Whether {@code other} lies in this prefix. */
    public boolean contains(Ipv4Address other) {
        return (other.bits() & maskBits()) == (address.bits() & maskBits());
    }

    private int maskBits() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
