package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;

/** An IPv4 network in CIDR form; {@code network} has no host bits set. */
public record Prefix(Ipv4Address network, int length) {

    public Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32: " + length);
        }
        if ((network.bits() & ~mask(length)) != 0) {
            throw new IllegalArgumentException(network + "/" + length + " has host bits set");
        }
    }

    /** Parses "10.0.0.0/24". */
    public static Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a prefix (address/length): '" + text + "'");
        }
        int length;
        try {
            length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: '" + text + "'");
        }
        return new Prefix(Ipv4Address.parse(text.substring(0, slash)), length);
    }

    public static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    public Ipv4Address netmask() {
        return new Ipv4Address(mask(length));
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(network.bits() | ~mask(length));
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(length)) == network.bits();
    }

    public boolean overlaps(Prefix other) {
        int shorter = Math.min(length, other.length);
        return (network.bits() & mask(shorter)) == (other.network.bits() & mask(shorter));
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
