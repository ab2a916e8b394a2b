package dev.leasehold.ddns;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DHCIDRecord;
import org.xbill.DNS.Name;

/**
 * The DHCID record (RFC 4701) that marks a name as registered for one client: the identifier
 * type, digest type 1 (SHA-256) and SHA-256 over the identifier and the name in canonical wire
 * format (RFC 4701 §3.3, §3.4). Two clients never produce the same record for one name, which is
 * what RFC 4703's conflict checks compare.
 */
final class Dhcid {

    private static final int DIGEST_SHA256 = 1;

    private Dhcid() {
    }

    /**
     * The RDATA for {@code identifier} (the two-octet type code followed by the identifier,
     * {@link dev.leasehold.engine.DnsUpdate#dhcidIdentifier()}) and {@code fqdn}.
     */
    static byte[] rdata(byte[] identifier, Name fqdn) {
        if (identifier.length < 3) {
            throw new IllegalArgumentException("a DHCID identifier has a two-octet type and at least one octet");
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha256.update(identifier, 2, identifier.length - 2);
        sha256.update(fqdn.toWireCanonical()); // RFC 4701 §3.5: canonical (lower case) wire format
        byte[] digest = sha256.digest();
        byte[] rdata = new byte[3 + digest.length];
        rdata[0] = identifier[0];
        rdata[1] = identifier[1];
        rdata[2] = DIGEST_SHA256;
        System.arraycopy(digest, 0, rdata, 3, digest.length);
        return rdata;
    }

    static DHCIDRecord record(byte[] identifier, Name fqdn, long ttl) {
        return new DHCIDRecord(fqdn, DClass.IN, ttl, rdata(identifier, fqdn));
    }

    static boolean sameIdentifier(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
