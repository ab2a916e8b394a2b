package dev.leasehold.config;

import dev.leasehold.wire.Ipv4Address;

/** A UDP address and port to bind; port 67 is the DHCP server port (RFC 2131 §4.1). */
public record ListenAddress(Ipv4Address address, int port) {
    public ListenAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
    }
}
