package dev.leasehold.server;

import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the network whether an address is already in use before it is offered (RFC 2131 §4.4.1
 * suggests the server "SHOULD probe the reused address before allocating", e.g. with ICMP echo).
 */
@FunctionalInterface
public interface AddressProber {

    /** Completes with true when something answered at {@code address} within {@code timeout}. */
    CompletableFuture<Boolean> inUse(Ipv4Address address, Duration timeout);
}
