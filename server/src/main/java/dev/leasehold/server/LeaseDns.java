package dev.leasehold.server;

import dev.leasehold.lease.Lease;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.Optional;

/**
 * What an add-on that registers leases in DNS (module {@code ddns}) offers the control API:
 * each lease's DNS state, a resend (Kea's {@code lease4-resend-ddns}) and its figures for
 * {@code /metrics}. Found through {@link LeaseholdServer#addOn(Class)}.
 */
public interface LeaseDns {

    /** The DNS registration of {@code address}, empty when the server keeps none for it. */
    Optional<DnsState> state(Ipv4Address address);

    /**
     * Queues the registration of {@code lease} again, as at its ACK; returns what was queued.
     *
     * @throws IllegalArgumentException when the lease is not active or has no name to register
     */
    DnsState resend(Lease lease);

    /** Writes this add-on's figures. */
    void metrics(MetricSink sink);

    /**
     * One address's registration.
     *
     * @param fqdn the name, without the final dot
     * @param forward whether the server writes the A record
     * @param reverse whether the server writes the PTR record
     * @param status {@code pending}, {@code registered}, {@code conflict}, {@code removing}, {@code failed}
     * @param detail why, for {@code conflict} and {@code failed}; empty otherwise
     * @param changed when the status last changed
     */
    record DnsState(String fqdn, boolean forward, boolean reverse, String status, String detail, Instant changed) {}

    /** Where {@link #metrics} writes: Prometheus families and their samples. */
    interface MetricSink {
        void family(String name, boolean counter, String help);

        void sample(String name, long value, String... labelsAndValues);
    }
}
