package dev.leasehold.client;

import dev.leasehold.wire.Ipv4Address;
import java.util.Arrays;
import java.util.Optional;

/**
 * An Ethernet/IPv4 ARP packet (RFC 826): hardware type 1, protocol 0x0800, lengths 6 and 4, an
 * operation, and the sender and target hardware and protocol addresses. 28 bytes.
 *
 * @param operation      1 request, 2 reply
 * @param senderMac      sha
 * @param senderAddress  spa (0.0.0.0 in an RFC 5227 probe)
 * @param targetMac      tha
 * @param targetAddress  tpa
 */
public record ArpPacket(int operation, byte[] senderMac, Ipv4Address senderAddress, byte[] targetMac, Ipv4Address targetAddress) {

    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    public static final int LENGTH = 28;

    /**
     * An ARP probe (RFC 5227 §2.1.1): a request with sender IP 0.0.0.0, so that nobody's ARP cache
     * learns from it, target hardware address zero and target IP the address to test.
     */
    public static ArpPacket probe(byte[] ourMac, Ipv4Address candidate) {
        return new ArpPacket(REQUEST, ourMac, Ipv4Address.ANY, new byte[6], candidate);
    }

    /** An ARP announcement (RFC 5227 §2.3): a request with sender and target IP both our new address. */
    public static ArpPacket announcement(byte[] ourMac, Ipv4Address address) {
        return new ArpPacket(REQUEST, ourMac, address, new byte[6], address);
    }

    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        out[1] = 1;                 // htype: Ethernet
        out[2] = 0x08;              // ptype: IPv4 (0x0800)
        out[4] = 6;                 // hlen
        out[5] = 4;                 // plen
        out[7] = (byte) operation;  // op (16 bits)
        System.arraycopy(senderMac, 0, out, 8, 6);
        senderAddress.writeTo(out, 14);
        System.arraycopy(targetMac, 0, out, 18, 6);
        targetAddress.writeTo(out, 24);
        return out;
    }

    /** The Ethernet/IPv4 ARP packet in {@code b[0, length)}, or empty for anything else. */
    public static Optional<ArpPacket> parse(byte[] b, int length) {
        if (length < LENGTH || b[0] != 0 || b[1] != 1 || b[2] != 0x08 || b[3] != 0 || b[4] != 6 || b[5] != 4 || b[6] != 0) {
            return Optional.empty();
        }
        return Optional.of(new ArpPacket(b[7] & 0xFF, Arrays.copyOfRange(b, 8, 14), Ipv4Address.read(b, 14),
                Arrays.copyOfRange(b, 18, 24), Ipv4Address.read(b, 24)));
    }

    /**
     * Whether this packet, received while probing {@code candidate}, shows that another host
     * uses or wants it (RFC 5227 §2.1.1): any ARP whose sender IP is the candidate, or a probe
     * (sender IP 0) for the candidate from another MAC, which is another host probing it.
     */
    public boolean conflictsWith(Ipv4Address candidate, byte[] ourMac) {
        if (Arrays.equals(senderMac, ourMac)) {
            return false;
        }
        if (senderAddress.equals(candidate)) {
            return true;
        }
        return operation == REQUEST && senderAddress.isAny() && targetAddress.equals(candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArpPacket p && p.operation == operation && Arrays.equals(p.senderMac, senderMac)
                && p.senderAddress.equals(senderAddress) && Arrays.equals(p.targetMac, targetMac)
                && p.targetAddress.equals(targetAddress);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(senderMac) * 31 + targetAddress.hashCode();
    }
}
