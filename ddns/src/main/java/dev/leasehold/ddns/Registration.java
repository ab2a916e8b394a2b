package dev.leasehold.ddns;

import dev.leasehold.wire.Ipv4Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The records one lease asks for in DNS: A (and DHCID) at {@code fqdn} when {@code forward}, PTR
 * at the address's {@code in-addr.arpa} name when {@code reverse}.
 *
 * @param address the leased address
 * @param fqdn the name, lower case, without the final dot
 * @param dhcidIdentifier RFC 4701 §3.3 identifier type and identifier
 * @param clientId the lease's client id, to tell whether the lease still belongs to the same client
 * @param subnetId the lease's subnet, whose {@code ddns-*} settings apply
 */
record Registration(Ipv4Address address, String fqdn, boolean forward, boolean reverse, byte[] dhcidIdentifier,
                    String clientId, int subnetId) {

    private static final HexFormat HEX = HexFormat.of();

    Registration {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(fqdn, "fqdn");
        Objects.requireNonNull(clientId, "clientId");
        dhcidIdentifier = dhcidIdentifier.clone();
    }

    /** Whether both ask for the same records (the TTL aside). */
    boolean sameRecords(Registration other) {
        return other != null && address.equals(other.address) && fqdn.equals(other.fqdn) && forward == other.forward
                && reverse == other.reverse && Arrays.equals(dhcidIdentifier, other.dhcidIdentifier);
    }

    @Override
    public byte[] dhcidIdentifier() {
        return dhcidIdentifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Registration r && sameRecords(r) && clientId.equals(r.clientId) && subnetId == r.subnetId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, fqdn, forward, reverse, Arrays.hashCode(dhcidIdentifier), clientId, subnetId);
    }

    @Override
    public String toString() {
        return fqdn + " " + address + (forward ? " A" : "") + (reverse ? " PTR" : "");
    }

    String identifierHex() {
        return HEX.formatHex(dhcidIdentifier);
    }
}
