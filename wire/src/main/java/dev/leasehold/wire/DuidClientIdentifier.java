package dev.leasehold.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The node-specific form of option 61 (RFC 4361 §6.1): type 255, a 4-byte IAID, then a DUID
 * (RFC 8415 §11), so that one client identifies itself alike over DHCPv4 and DHCPv6. dhcpcd
 * sends this form by default.
 *
 * @param iaid the identity association id, the client's name for the interface
 * @param duid the DUID, at least its 2-byte type and one byte more
 */
public record DuidClientIdentifier(int iaid, byte[] duid) {

    /** The type byte of option 61 that marks this form (RFC 4361 §6.1). */
    public static final int TYPE = 255;

    public DuidClientIdentifier {
        if (duid.length < 3) {
            throw new IllegalArgumentException("a DUID has a 2-byte type and at least one byte more: " + duid.length + " bytes");
        }
        duid = duid.clone();
    }

    /** The RFC 4361 form when {@code option61} has it, else empty (e.g. the common type 1 + MAC). */
    public static Optional<DuidClientIdentifier> parse(byte[] option61) {
        if (option61.length < 1 + 4 + 3 || (option61[0] & 0xFF) != TYPE) {
            return Optional.empty();
        }
        return Optional.of(new DuidClientIdentifier(TextValues.s32(option61, 1), Arrays.copyOfRange(option61, 5, option61.length)));
    }

    /** The DUID type (RFC 8415 §11.1): 1 LLT, 2 EN, 3 LL, 4 UUID. */
    public int duidType() {
        return TextValues.u16(duid, 0);
    }

    @Override
    public byte[] duid() {
        return duid.clone();
    }

    /** The value of option 61 for this identifier. */
    public byte[] toOptionBytes() {
        byte[] out = new byte[5 + duid.length];
        out[0] = (byte) TYPE;
        TextValues.putS32(out, 1, iaid);
        System.arraycopy(duid, 0, out, 5, duid.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DuidClientIdentifier(int i, byte[] d) && i == iaid && Arrays.equals(d, duid);
    }

    @Override
    public int hashCode() {
        return 31 * iaid + Arrays.hashCode(duid);
    }

    @Override
    public String toString() {
        return "iaid=" + Integer.toUnsignedString(iaid) + " duid=" + HexFormat.ofDelimiter(":").formatHex(duid);
    }
}
