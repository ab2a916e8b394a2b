package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.RelayAgentInformation;
import java.nio.charset.StandardCharsets;

/**
 * The messages a client sends, with the fields and options RFC 2131 §4.4.1 table 5 requires
 * in each state. Pure: the caller supplies xid, identity and addresses.
 *
 * @param hardware the client's chaddr
 * @param clientId option 61, or null to send none (the server then keys on chaddr)
 * @param hostname option 12, or null
 * @param relay the relay fields to add, or {@link RelayFields#NONE} for a directly attached client
 */
public record ClientMessages(HardwareAddress hardware, byte[] clientId, String hostname, RelayFields relay) {

    /** The options a typical client asks for in option 55 (RFC 2132 §9.8). */
    public static final byte[] DEFAULT_PARAMETER_REQUESTS = {
        (byte) OptionCode.SUBNET_MASK, (byte) OptionCode.ROUTERS, (byte) OptionCode.DOMAIN_NAME_SERVERS,
        (byte) OptionCode.DOMAIN_NAME, (byte) OptionCode.INTERFACE_MTU, (byte) OptionCode.CLASSLESS_STATIC_ROUTES,
        (byte) OptionCode.DOMAIN_SEARCH, (byte) OptionCode.NTP_SERVERS
    };

    /**
     * What a relay agent adds on the way to the server (RFC 3046): giaddr, a hop, and option 82
     * with a circuit id and, when {@code relaySourcePort} is set, the RFC 8357 sub-option that
     * asks the server to answer to the relay's own port (how a test or load client on an
     * unprivileged port plays its own relay).
     */
    public record RelayFields(Ipv4Address giaddr, byte[] circuitId, boolean relaySourcePort) {
        public static final RelayFields NONE = new RelayFields(Ipv4Address.ANY, new byte[0], false);

        boolean present() {
            return !giaddr.isAny();
        }

        byte[] option82() {
            RelayAgentInformation.Builder info = RelayAgentInformation.builder();
            if (circuitId.length > 0) {
                info.circuitId(circuitId);
            }
            if (relaySourcePort) {
                info.relaySourcePort();
            }
            return info.build().toBytes();
        }
    }

    /** DHCPDISCOVER from INIT (RFC 2131 §4.4.1), asking for {@code requested} when not null. */
    public DhcpMessage discover(int xid, Ipv4Address requested, boolean rapidCommit) {
        DhcpOptions.Builder o = base(MessageType.DISCOVER);
        if (requested != null) {
            o.put(OptionCode.REQUESTED_ADDRESS, requested);
        }
        if (rapidCommit) {
            o.putUnsafe(OptionCode.RAPID_COMMIT, new byte[0]);
        }
        return message(xid, Ipv4Address.ANY, o);
    }

    /** DHCPREQUEST in SELECTING: names the chosen server and the offered address. */
    public DhcpMessage requestSelecting(int xid, Ipv4Address serverId, Ipv4Address offered) {
        DhcpOptions.Builder o = base(MessageType.REQUEST);
        o.put(OptionCode.SERVER_IDENTIFIER, serverId);
        o.put(OptionCode.REQUESTED_ADDRESS, offered);
        return message(xid, Ipv4Address.ANY, o);
    }

    /** DHCPREQUEST in INIT-REBOOT: no server id, ciaddr 0, the remembered address in option 50. */
    public DhcpMessage requestInitReboot(int xid, Ipv4Address remembered) {
        DhcpOptions.Builder o = base(MessageType.REQUEST);
        o.put(OptionCode.REQUESTED_ADDRESS, remembered);
        return message(xid, Ipv4Address.ANY, o);
    }

    /** DHCPREQUEST in RENEWING or REBINDING: ciaddr set, no server id, no option 50. */
    public DhcpMessage requestRenew(int xid, Ipv4Address ciaddr) {
        return message(xid, ciaddr, base(MessageType.REQUEST));
    }

    /** DHCPRELEASE (RFC 2131 §4.4.6): ciaddr and the server id, nothing requested. */
    public DhcpMessage release(int xid, Ipv4Address ciaddr, Ipv4Address serverId) {
        DhcpOptions.Builder o = options(MessageType.RELEASE);
        o.put(OptionCode.SERVER_IDENTIFIER, serverId);
        return message(xid, ciaddr, o);
    }

    /** DHCPDECLINE (RFC 2131 §4.4.1): the address in use by someone else, ciaddr 0. */
    public DhcpMessage decline(int xid, Ipv4Address address, Ipv4Address serverId) {
        DhcpOptions.Builder o = options(MessageType.DECLINE);
        o.put(OptionCode.REQUESTED_ADDRESS, address);
        o.put(OptionCode.SERVER_IDENTIFIER, serverId);
        return message(xid, Ipv4Address.ANY, o);
    }

    /** DHCPINFORM (RFC 2131 §4.4.3): configuration only, for an address set by hand. */
    public DhcpMessage inform(int xid, Ipv4Address ciaddr) {
        return message(xid, ciaddr, base(MessageType.INFORM));
    }

    private DhcpOptions.Builder options(MessageType type) {
        DhcpOptions.Builder o = DhcpOptions.builder();
        o.put(OptionCode.MESSAGE_TYPE, type.code());
        if (clientId != null) {
            o.put(OptionCode.CLIENT_IDENTIFIER, clientId);
        }
        return o;
    }

    private DhcpOptions.Builder base(MessageType type) {
        DhcpOptions.Builder o = options(type);
        o.putUnsafe(OptionCode.MAX_MESSAGE_SIZE, new byte[] {0x05, (byte) 0xDC});
        if (hostname != null && !hostname.isEmpty()) {
            o.putUnsafe(OptionCode.HOST_NAME, hostname.getBytes(StandardCharsets.US_ASCII));
        }
        o.putUnsafe(OptionCode.PARAMETER_REQUEST_LIST, DEFAULT_PARAMETER_REQUESTS.clone());
        return o;
    }

    private DhcpMessage message(int xid, Ipv4Address ciaddr, DhcpOptions.Builder o) {
        DhcpMessage.Builder b = DhcpMessage.builder().xid(xid).hardwareAddress(hardware).ciaddr(ciaddr);
        if (relay.present()) {
            b.giaddr(relay.giaddr()).hops(1);
            o.putUnsafe(OptionCode.RELAY_AGENT_INFORMATION, relay.option82());
        }
        return b.options(o.build()).build();
    }
}
