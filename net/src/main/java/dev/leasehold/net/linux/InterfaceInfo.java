package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;

/**
 * What the kernel reports about one network interface at one moment.
 *
 * @param name      the interface name ("eth1")
 * @param index     its kernel index; a re-created interface of the same name gets a new one
 * @param up        whether it is administratively up
 * @param loopback  whether it is a loopback interface
 * @param addresses its IPv4 addresses in the kernel's order (the primary first)
 */
record InterfaceInfo(String name, int index, boolean up, boolean loopback, List<InterfaceAddress> addresses) {

    InterfaceInfo {
        addresses = List.copyOf(addresses);
    }

    boolean hasIpv4() {
        return !addresses.isEmpty();
    }

    /** Whether {@code address} is one of ours on this interface. */
    boolean owns(Ipv4Address address) {
        return addresses.stream().anyMatch(a -> a.address().equals(address));
    }
}
