package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import java.time.Duration;
import java.time.Instant;

/**
 * What a DHCPACK gave a client: the address, the server that granted it and the lease's timers
 * (RFC 2131 §4.4.5; {@link LeaseTimers} says how T1 and T2 are made consistent).
 */
public record Binding(Ipv4Address address, Ipv4Address serverId, Instant boundAt, Duration leaseTime,
                      Duration renewAfter, Duration rebindAfter, DhcpMessage ack) {

    /** Reads a binding from {@code ack}, received at {@code now}, with its timers made consistent ({@link LeaseTimers}). */
    public static Binding from(DhcpMessage ack, Instant now) {
        return from(ack, now, LeaseTimers.of(ack, Duration.ZERO));
    }

    /** A binding from {@code ack}, received at {@code now}, using {@code timers}. */
    public static Binding from(DhcpMessage ack, Instant now, LeaseTimers timers) {
        return new Binding(ack.yiaddr(), ack.serverIdentifier().orElse(Ipv4Address.ANY), now, timers.lease(),
                timers.renewAfter(), timers.rebindAfter(), ack);
    }

    public Instant renewAt() {
        return boundAt.plus(renewAfter);
    }

    public Instant rebindAt() {
        return boundAt.plus(rebindAfter);
    }

    public Instant expiresAt() {
        return boundAt.plus(leaseTime);
    }
}
