package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;

/** An inclusive range of addresses, {@code first} ≤ {@code last}. */
public record AddressRange(Ipv4Address first, Ipv4Address last) {

    public AddressRange {
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException("range start " + first + " is after its end " + last);
        }
    }

    public boolean contains(Ipv4Address address) {
        return address.compareTo(first) >= 0 && address.compareTo(last) <= 0;
    }

    public boolean overlaps(AddressRange other) {
        return first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
    }

    public long size() {
        return last.toLong() - first.toLong() + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
