package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.DuidClientIdentifier;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Who the client says it is and what it asks for (RFC 2131 §4.4.1 table 5): chaddr, option 61
 * client identifier, option 12 host name and option 60 vendor class. Options 55 (parameter
 * request list) and 57 (maximum message size, 1500) come from {@link ClientMessages}.
 *
 * @param hardware    the interface's MAC, the chaddr
 * @param clientId    option 61, or null to send none
 * @param hostname    option 12, or null
 * @param vendorClass option 60 (RFC 2132 §9.13), or null
 */
public record ClientIdentity(HardwareAddress hardware, byte[] clientId, String hostname, String vendorClass) {

    public ClientIdentity {
        clientId = clientId == null ? null : clientId.clone();
        if (clientId != null && (clientId.length < 2 || clientId.length > 255)) {
            throw new IllegalArgumentException("option 61 holds 2-255 bytes (RFC 2132 §9.14): " + clientId.length);
        }
        if (hostname != null && (hostname.isEmpty() || hostname.length() > 255)) {
            throw new IllegalArgumentException("a host name is 1-255 characters (RFC 2132 §3.14)");
        }
        if (vendorClass != null && (vendorClass.isEmpty() || vendorClass.length() > 255)) {
            throw new IllegalArgumentException("a vendor class is 1-255 bytes (RFC 2132 §9.13)");
        }
    }

    /** Option 61 in the common hardware form: type 1 (Ethernet) then the MAC (RFC 2132 §9.14). */
    public static byte[] hardwareClientId(HardwareAddress hardware) {
        byte[] mac = hardware.bytes();
        byte[] id = new byte[mac.length + 1];
        id[0] = (byte) hardware.htype();
        System.arraycopy(mac, 0, id, 1, mac.length);
        return id;
    }

    /**
     * Option 61 in the node-specific form of RFC 4361 §6.1: type 255, an IAID, and a DUID-LL
     * (RFC 8415 §11.4: type 3, hardware type, the MAC), so the same DUID can serve DHCPv6. The
     * IAID is the last four bytes of the MAC, as dhcpcd does: stable per interface.
     */
    public static byte[] rfc4361ClientId(HardwareAddress hardware) {
        byte[] mac = hardware.bytes();
        byte[] duid = new byte[4 + mac.length];
        duid[1] = 3;                               // DUID-LL
        duid[3] = (byte) hardware.htype();         // hardware type (16 bits)
        System.arraycopy(mac, 0, duid, 4, mac.length);
        int iaid = 0;
        for (int i = Math.max(0, mac.length - 4); i < mac.length; i++) {
            iaid = (iaid << 8) | (mac[i] & 0xFF);
        }
        return new DuidClientIdentifier(iaid, duid).toOptionBytes();
    }

    /** The message builders for this identity, for a directly attached client. */
    public ClientMessages messages() {
        return new ClientMessages(hardware, clientId, hostname, ClientMessages.RelayFields.NONE);
    }

    /**
     * {@code message} with secs set and, on DISCOVER, REQUEST and INFORM, option 60 added (RFC 2131
     * table 5: "MAY" there, "MUST NOT" on DECLINE and RELEASE).
     */
    public DhcpMessage finish(DhcpMessage message, int secs) {
        DhcpMessage.Builder b = message.toBuilder().secs(Math.min(Math.max(secs, 0), 0xFFFF));
        MessageType type = message.messageType().orElse(null);
        if (vendorClass != null && (type == MessageType.DISCOVER || type == MessageType.REQUEST || type == MessageType.INFORM)) {
            DhcpOptions.Builder o = message.options().toBuilder();
            o.putUnsafe(OptionCode.VENDOR_CLASS_IDENTIFIER, vendorClass.getBytes(StandardCharsets.UTF_8));
            b.options(o.build());
        }
        return b.build();
    }

    @Override
    public byte[] clientId() {
        return clientId == null ? null : clientId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientIdentity other && other.hardware.equals(hardware) && Arrays.equals(other.clientId, clientId)
                && java.util.Objects.equals(other.hostname, hostname) && java.util.Objects.equals(other.vendorClass, vendorClass);
    }

    @Override
    public int hashCode() {
        return hardware.hashCode() * 31 + Arrays.hashCode(clientId);
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + hardware + (clientId == null ? "" : ", id " + HexFormat.ofDelimiter(":").formatHex(clientId))
                + (hostname == null ? "" : ", host " + hostname) + (vendorClass == null ? "" : ", vendor " + vendorClass) + "]";
    }
}
