package dev.leasehold.engine;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The DNS registration an acknowledged lease asks for: the fully qualified name the server chose
 * (RFC 4702 §4, RFC 4703 §4) and which records the server took on. Carried by the ACK's
 * {@link LeaseEvent} to whatever performs the updates.
 *
 * @param fqdn the name, lower case, without the final dot; empty when none
 * @param forward whether the server adds the A record (the S flag it answered, RFC 4702 §3.1)
 * @param reverse whether the server adds the PTR record (its N flag was 0)
 * @param dhcidIdentifier RFC 4701 §3.3: the two-octet identifier type and the identifier the
 *        DHCID digest covers (htype+chaddr, option 61, or the RFC 4361 DUID)
 */
public record DnsUpdate(String fqdn, boolean forward, boolean reverse, byte[] dhcidIdentifier) {

    /** No registration: nothing to add. */
    public static final DnsUpdate NONE = new DnsUpdate("", false, false, new byte[0]);

    public DnsUpdate {
        Objects.requireNonNull(fqdn, "fqdn");
        dhcidIdentifier = dhcidIdentifier.clone();
    }

    /** Whether the server updates anything for this lease. */
    public boolean any() {
        return !fqdn.isEmpty() && (forward || reverse);
    }

    @Override
    public byte[] dhcidIdentifier() {
        return dhcidIdentifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsUpdate d && fqdn.equals(d.fqdn) && forward == d.forward && reverse == d.reverse
                && Arrays.equals(dhcidIdentifier, d.dhcidIdentifier);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fqdn, forward, reverse, Arrays.hashCode(dhcidIdentifier));
    }

    @Override
    public String toString() {
        return "DnsUpdate[" + fqdn + (forward ? " A" : "") + (reverse ? " PTR" : "") + " id="
                + HexFormat.of().formatHex(dhcidIdentifier) + "]";
    }
}
