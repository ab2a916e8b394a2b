package dev.leasehold.net.linux;

import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import java.util.Optional;

/**
 * The per-interface sockets open at one moment: an immutable snapshot that a re-scan replaces as
 * a whole, so the receiving and sending threads never see it half-changed.
 *
 * @param sockets    one per served interface, in the order they were opened
 * @param generation increases with every replacement, so the receiver knows to rebuild its poll set
 */
record OpenSockets(List<InterfaceSocket> sockets, long generation) {

    static final OpenSockets NONE = new OpenSockets(List.of(), 0);

    OpenSockets {
        sockets = List.copyOf(sockets);
    }

    Optional<InterfaceSocket> byName(String name) {
        for (InterfaceSocket s : sockets) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The socket of the interface on whose prefix {@code address} lies. */
    Optional<InterfaceSocket> reaching(Ipv4Address address) {
        for (InterfaceSocket s : sockets) {
            if (s.reaches(address)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The socket of the interface that has {@code address} as one of its own. */
    Optional<InterfaceSocket> owning(Ipv4Address address) {
        for (InterfaceSocket s : sockets) {
            if (s.owns(address)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
