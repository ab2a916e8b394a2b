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
 * client identifier, option 12 host name or option 81 client FQDN, option 60 vendor class,
 * option 55 parameter request list and option 57 maximum message size.
 *
 * @param hardware          the interface's MAC, the chaddr
 * @param clientId          option 61, or null to send none
 * @param hostname          option 12, or null
 * @param vendorClass       option 60 (RFC 2132 §9.13), or null
 * @param fqdn              option 81 (RFC 4702), or null; when sent, option 12 is not (RFC 4702 §3.1)
 * @param maxMessageSize    option 57 (RFC 2132 §9.10): the largest DHCP message the client accepts
 *                          ({@link #withInterfaceMtu}), 576-65535
 * @param parameterRequests option 55 (RFC 2132 §9.8), the codes asked for
 */
public record ClientIdentity(HardwareAddress hardware, byte[] clientId, String hostname, String vendorClass,
                             ClientFqdn fqdn, int maxMessageSize, byte[] parameterRequests) {

    /** An IPv4 header without options and a UDP header. */
    static final int IP_UDP_HEADERS = 28;

    /** RFC 2132 §9.10: "The minimum legal value is 576 octets." */
    public static final int MINIMUM_MESSAGE_SIZE = 576;

    /** Option 55 by default: {@link ClientMessages#DEFAULT_PARAMETER_REQUESTS} and the captive portal (RFC 8910 §2). */
    public static final byte[] PARAMETER_REQUESTS = withCode(ClientMessages.DEFAULT_PARAMETER_REQUESTS, OptionCode.CAPTIVE_PORTAL);

    /** An identity with option 57 at 1500 (an Ethernet MTU), the default option 55 and no option 81. */
    public ClientIdentity(HardwareAddress hardware, byte[] clientId, String hostname, String vendorClass) {
        this(hardware, clientId, hostname, vendorClass, null, 1500, PARAMETER_REQUESTS);
    }

    public ClientIdentity {
        clientId = clientId == null ? null : clientId.clone();
        parameterRequests = parameterRequests.clone();
        if (maxMessageSize < MINIMUM_MESSAGE_SIZE || maxMessageSize > 0xFFFF) {
            throw new IllegalArgumentException("option 57 is 576-65535 (RFC 2132 §9.10): " + maxMessageSize);
        }
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

    /**
     * This identity announcing, as option 57, what fits in one unfragmented datagram on an
     * interface of {@code mtu}: the MTU less the IPv4 and UDP headers (20 + 8), as dhcpcd sends.
     * Servers differ on whether option 57 counts those headers (RFC 2132 §9.10 does not say); this
     * value fits either way, and matters because the client's packet filter drops IP fragments.
     * Never below 576 (§9.10), never above 65535.
     */
    public ClientIdentity withInterfaceMtu(int mtu) {
        return new ClientIdentity(hardware, clientId, hostname, vendorClass, fqdn,
                Math.min(0xFFFF, Math.max(MINIMUM_MESSAGE_SIZE, mtu - IP_UDP_HEADERS)), parameterRequests);
    }

    /** This identity sending option 81 instead of option 12. */
    public ClientIdentity withFqdn(ClientFqdn value) {
        return new ClientIdentity(hardware, clientId, hostname, vendorClass, value, maxMessageSize, parameterRequests);
    }

    /** This identity asking for {@code code} too in option 55. */
    public ClientIdentity requesting(int code) {
        return new ClientIdentity(hardware, clientId, hostname, vendorClass, fqdn, maxMessageSize,
                withCode(parameterRequests, code));
    }

    private static byte[] withCode(byte[] codes, int code) {
        for (byte c : codes) {
            if ((c & 0xFF) == code) {
                return codes.clone();
            }
        }
        byte[] more = java.util.Arrays.copyOf(codes, codes.length + 1);
        more[codes.length] = (byte) code;
        return more;
    }

    /** The message builders for this identity, for a directly attached client. */
    public ClientMessages messages() {
        return new ClientMessages(hardware, clientId, hostname, ClientMessages.RelayFields.NONE);
    }

    /**
     * {@code message} with secs set and, on DISCOVER, REQUEST and INFORM, this identity's options
     * 55, 57, 60 and 81 (RFC 2131 table 5: "MAY" there, "MUST NOT" on DECLINE and RELEASE; RFC 4702
     * §3: option 81 in DISCOVER and REQUEST).
     */
    public DhcpMessage finish(DhcpMessage message, int secs) {
        DhcpMessage.Builder b = message.toBuilder().secs(Math.min(Math.max(secs, 0), 0xFFFF));
        MessageType type = message.messageType().orElse(null);
        if (type == MessageType.DISCOVER || type == MessageType.REQUEST || type == MessageType.INFORM) {
            DhcpOptions.Builder o = message.options().toBuilder();
            o.putUnsafe(OptionCode.MAX_MESSAGE_SIZE, new byte[] {(byte) (maxMessageSize >>> 8), (byte) maxMessageSize});
            o.putUnsafe(OptionCode.PARAMETER_REQUEST_LIST, parameterRequests.clone());
            if (vendorClass != null) {
                o.putUnsafe(OptionCode.VENDOR_CLASS_IDENTIFIER, vendorClass.getBytes(StandardCharsets.UTF_8));
            }
            if (fqdn != null && type != MessageType.INFORM) {
                o.remove(OptionCode.HOST_NAME);
                o.putUnsafe(OptionCode.CLIENT_FQDN, fqdn.toBytes());
            }
            b.options(o.build());
        }
        return b.build();
    }

    @Override
    public byte[] parameterRequests() {
        return parameterRequests.clone();
    }

    @Override
    public byte[] clientId() {
        return clientId == null ? null : clientId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientIdentity other && other.hardware.equals(hardware) && Arrays.equals(other.clientId, clientId)
                && java.util.Objects.equals(other.hostname, hostname) && java.util.Objects.equals(other.vendorClass, vendorClass)
                && java.util.Objects.equals(other.fqdn, fqdn) && other.maxMessageSize == maxMessageSize
                && Arrays.equals(other.parameterRequests, parameterRequests);
    }

    @Override
    public int hashCode() {
        return hardware.hashCode() * 31 + Arrays.hashCode(clientId);
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + hardware + (clientId == null ? "" : ", id " + HexFormat.ofDelimiter(":").formatHex(clientId))
                + (hostname == null ? "" : ", host " + hostname) + (vendorClass == null ? "" : ", vendor " + vendorClass)
                + (fqdn == null ? "" : ", fqdn " + fqdn.name()) + ", max message " + maxMessageSize + "]";
    }
}
