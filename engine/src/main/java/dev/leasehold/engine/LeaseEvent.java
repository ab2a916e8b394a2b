package dev.leasehold.engine;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;

/**
 * Something that happened to a lease, for the event log and the lease history: who, which
 * address, where from (relay and circuit id), and when.
 *
 * @param relay giaddr of the request, {@link Ipv4Address#ANY} when not relayed
 * @param circuitId option 82 sub-option 1 (RFC 3046 §3.1) as sent by the relay, empty when none
 * @param expiresAt when the lease ends, for OFFER and ACK; the event time otherwise
 * @param detail a short reason (the NAK message, say), empty when none
 * @param dns for an ACK, the DNS registration the server took on; {@link DnsUpdate#NONE} otherwise
 */
public record LeaseEvent(Type type, Instant time, Ipv4Address address, ClientId clientId,
                         HardwareAddress hardwareAddress, int subnetId, Ipv4Address relay, byte[] circuitId,
                         String hostname, Instant expiresAt, String detail, DnsUpdate dns) {

    /** An event that asks for no DNS registration. */
    public LeaseEvent(Type type, Instant time, Ipv4Address address, ClientId clientId, HardwareAddress hardwareAddress,
                      int subnetId, Ipv4Address relay, byte[] circuitId, String hostname, Instant expiresAt,
                      String detail) {
        this(type, time, address, clientId, hardwareAddress, subnetId, relay, circuitId, hostname, expiresAt, detail,
                DnsUpdate.NONE);
    }

    /** The lease events of RFC 2131's lifecycle, as an operator names them. */
    public enum Type { OFFER, ACK, NAK, RELEASE, DECLINE, EXPIRE, CONFLICT }
}
