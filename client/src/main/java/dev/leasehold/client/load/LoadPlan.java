package dev.leasehold.client.load;

import dev.leasehold.wire.Ipv4Address;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What a load run does: {@code clients} virtual clients, each with its own MAC, go through a
 * whole DISCOVER-OFFER-REQUEST-ACK exchange over the relay path (giaddr = {@code relayAddress},
 * replies to our own port by RFC 8357), at most {@code window} exchanges in flight at once.
 *
 * @param renew after the new leases, renew each one once (RENEWING, ciaddr set)
 * @param release finish by releasing every lease obtained, so the pool is clean for the next run
 * @param timeout how long one exchange may take before it counts as dropped
 * @param macSeed distinguishes the MACs of separate runs against one server
 * @param rate exchanges started per second at most, 0 for as fast as the window allows
 */
public record LoadPlan(InetSocketAddress server, Ipv4Address relayAddress, int clients, int window,
                       Duration timeout, boolean renew, boolean release, int macSeed, int rate) {
    public LoadPlan {
        if (clients < 1 || clients > 1 << 24) {
            throw new IllegalArgumentException("clients must be 1 to 16777216: " + clients);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1: " + window);
        }
    }
}
