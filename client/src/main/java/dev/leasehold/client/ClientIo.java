package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;

/**
 * What the {@link ClientStateMachine} asks of the world. The machine itself never blocks, sleeps
 * or touches a socket; a driver ({@link DhcpClient}) or a test implements this.
 */
public interface ClientIo {

    /** Sends {@code message} to 255.255.255.255:67 out of the client's interface (RFC 2131 §4.1). */
    void broadcast(DhcpMessage message);

    /** Sends {@code message} to {@code server}:67 by ordinary IP unicast (RENEWING, DHCPRELEASE). */
    void unicast(DhcpMessage message, Ipv4Address server);

    /**
     * Starts checking that nobody uses {@code address} (RFC 5227 §2.1 ARP probes). The answer comes
     * back through {@link ClientStateMachine#probeFinished}; never from within this call.
     */
    void probe(Ipv4Address address);

    /** The lease changed: configure (or reconfigure) the interface, remember the lease, run the hook. */
    void leaseChanged(LeaseEvent event);

    /** The client declined {@code binding}'s address after a conflict (RFC 2131 §4.4.1 DHCPDECLINE). */
    void declined(Binding binding);

    /** DHCPACK to a DHCPINFORM (RFC 2131 §4.4.3): options to apply, no address. */
    void informed(DhcpMessage ack);

    /** Something wrong in {@code message} that the client worked around while using it (a malformed option, inconsistent timers). */
    void tolerated(DhcpMessage message, String problem);

    /**
     * A DHCPOFFER or DHCPACK the client will not use because what it offers is nonsense
     * ({@link LeaseSanity}); a kind of {@link #ignored} worth an operator's attention.
     */
    default void refused(DhcpMessage message, String reason) {
        ignored(message, reason);
    }

    /** A message the client did not act on, and why (RFC 2131 §4.4.1: ignored, never fatal). */
    void ignored(DhcpMessage message, String reason);
}
