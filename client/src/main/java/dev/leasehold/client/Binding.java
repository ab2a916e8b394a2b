package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import java.time.Duration;
import java.time.Instant;

/**
 * What a DHCPACK gave a client: the address, the server that granted it and the lease's timers
 * (RFC 2131 §4.4.5; T1 and T2 default to 0.5 and 0.875 of the lease when the server omits them).
 */
public record Binding(Ipv4Address address, Ipv4Address serverId, Instant boundAt, Duration leaseTime,
                      Duration renewAfter, Duration rebindAfter, DhcpMessage ack) {

    /** Reads a binding from {@code ack}, received at {@code now}. */
    public static Binding from(DhcpMessage ack, Instant now) {
        Duration lease = Duration.ofSeconds(ack.requestedLeaseTime().orElse(0));
        Duration t1 = seconds(ack, OptionCode.RENEWAL_TIME, lease.dividedBy(2));
        Duration t2 = seconds(ack, OptionCode.REBINDING_TIME, lease.multipliedBy(7).dividedBy(8));
        return new Binding(ack.yiaddr(), ack.serverIdentifier().orElse(Ipv4Address.ANY), now, lease, t1, t2, ack);
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

    private static Duration seconds(DhcpMessage m, int code, Duration fallback) {
        byte[] v = m.options().getUnsafe(code);
        if (v == null || v.length != 4) {
            return fallback;
        }
        return Duration.ofSeconds(Integer.toUnsignedLong(((v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF)));
    }
}
