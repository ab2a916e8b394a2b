package dev.leasehold.migrate.config;

import dev.leasehold.wire.Ipv4Address;

/** A giaddr that selects a subnet (Leasehold's {@code relay-addresses}, Kea's {@code relay.ip-addresses}). */
public record DraftRelay(Ipv4Address address, int line, String describe) implements DraftElement {
}
