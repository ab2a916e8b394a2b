package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;

/**
 * One open UDP socket bound to one interface (SO_BINDTODEVICE), with what we knew about the
 * interface at the last scan. The socket stays open while the interface keeps its index; a newer
 * scan replaces this record with one carrying the same {@code fd} and fresh addresses.
 *
 * @param name      the interface name
 * @param index     the interface index the socket is bound to
 * @param fd        the socket's file descriptor
 * @param up        whether the interface was up at the last scan
 * @param addresses our IPv4 addresses on it, primary first
 */
record InterfaceSocket(String name, int index, int fd, boolean up, List<InterfaceAddress> addresses) {

    InterfaceSocket {
        addresses = List.copyOf(addresses);
    }

    InterfaceSocket withState(boolean up, List<InterfaceAddress> addresses) {
        return new InterfaceSocket(name, index, fd, up, addresses);
    }

    /**
     * Our address for a datagram that came in addressed to {@code destination} from
     * {@code source}: the destination itself when it was a unicast to us (the kernel only delivers
     * those locally); else the address whose prefix holds the sender (a renewing client or a relay
     * on the link); else the primary address; {@link Ipv4Address#ANY} when the interface has none.
     */
    Ipv4Address localAddressFor(Ipv4Address destination, Ipv4Address source) {
        if (!isBroadcast(destination) && !destination.isAny() && !isMulticast(destination)) {
            return destination;
        }
        return addressFacing(source);
    }

    /** The address whose prefix holds {@code peer}, else the primary address, else ANY. */
    Ipv4Address addressFacing(Ipv4Address peer) {
        if (!peer.isAny()) {
            for (InterfaceAddress a : addresses) {
                if (a.contains(peer)) {
                    return a.address();
                }
            }
        }
        return addresses.isEmpty() ? Ipv4Address.ANY : addresses.getFirst().address();
    }

    /** Whether a datagram to {@code destination} was a broadcast: limited (RFC 919 §7) or directed to one of our prefixes. */
    boolean isBroadcast(Ipv4Address destination) {
        if (destination.equals(Ipv4Address.BROADCAST)) {
            return true;
        }
        for (InterfaceAddress a : addresses) {
            if (a.prefixLength() < 31 && a.directedBroadcast().equals(destination)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code address} lies in one of this interface's prefixes (it is on-link here). */
    boolean reaches(Ipv4Address address) {
        for (InterfaceAddress a : addresses) {
            if (a.contains(address)) {
                return true;
            }
        }
        return false;
    }

    boolean owns(Ipv4Address address) {
        for (InterfaceAddress a : addresses) {
            if (a.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMulticast(Ipv4Address address) {
        return (address.bits() >>> 28) == 0b1110;
    }
}
