package dev.leasehold.engine;

import dev.leasehold.config.ClientClassConfig;
import dev.leasehold.config.LeaseTimers;
import dev.leasehold.config.OptionSetting;
import dev.leasehold.config.Reservation;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpMessage.BootOp;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds server replies with the fields and options RFC 2131 §4.3.1 table 3 prescribes for
 * each type. Option precedence, lowest first: global, subnet, client class, reservation.
 */
final class ReplyFactory {

    private ReplyFactory() {
    }

    /** What a reply grants, or null fields for INFORM (no lease, RFC 2131 §4.3.5). */
    record Grant(Ipv4Address address, Duration leaseTime, LeaseTimers timers) {}

    static DhcpMessage offerOrAck(MessageType type, DhcpMessage request, Ipv4Address serverId, SubnetRuntime subnet,
                                  List<ClientClassConfig> classes, Reservation reservation, Grant grant,
                                  boolean rapidCommit) {
        DhcpOptions.Builder o = DhcpOptions.builder();
        o.put(OptionCode.MESSAGE_TYPE, type.code());
        o.put(OptionCode.SERVER_IDENTIFIER, serverId);
        if (grant.leaseTime() != null) {
            long lease = grant.leaseTime().toSeconds();
            o.putU32(OptionCode.LEASE_TIME, lease);
            o.putU32(OptionCode.RENEWAL_TIME, grant.timers().renewFor(grant.leaseTime()).toSeconds());
            o.putU32(OptionCode.REBINDING_TIME, grant.timers().rebindFor(grant.leaseTime()).toSeconds());
        }
        if (rapidCommit) {
            o.putUnsafe(OptionCode.RAPID_COMMIT, new byte[0]);
        }
        addConfiguredOptions(o, request, subnet, classes, reservation);
        if (reservation != null && !reservation.hostname().isEmpty() && !o.contains(OptionCode.HOST_NAME)) {
            o.putUnsafe(OptionCode.HOST_NAME, reservation.hostname().getBytes(StandardCharsets.US_ASCII));
        }
        echoIdentifiers(o, request);
        echoSubnetSelection(o, request, subnet);
        boolean inform = type == MessageType.ACK && grant.leaseTime() == null;
        if (!inform && request.options().contains(OptionCode.CLIENT_FQDN)) {
            ClientFqdnReply.addTo(o, ClientFqdnReply.decide(request, subnet.config().ddns(), reservation, grant.address()));
        }
        // Table 3: an OFFER's ciaddr is 0; an ACK's is the REQUEST's (or INFORM's) ciaddr.
        DhcpMessage.Builder reply = header(request)
                .ciaddr(type == MessageType.OFFER ? Ipv4Address.ANY : request.ciaddr())
                .yiaddr(inform ? Ipv4Address.ANY : grant.address())
                .options(o.build());
        bootFields(reply, classes);
        return reply.build();
    }

    /**
     * siaddr, sname and file from the client's classes, a later class over an earlier one
     * (RFC 2131 §2: the next server and boot file of BOOTP, which PXE firmware reads). A field a
     * class fills is no longer free for option overload (RFC 2132 §9.3); the encoder sees that.
     */
    private static void bootFields(DhcpMessage.Builder reply, List<ClientClassConfig> classes) {
        for (ClientClassConfig c : classes) {
            if (!c.nextServer().isAny()) {
                reply.siaddr(c.nextServer());
            }
            if (!c.serverHostname().isEmpty()) {
                reply.sname(Arrays.copyOf(c.serverHostname().getBytes(StandardCharsets.US_ASCII), DhcpMessage.SNAME_LENGTH));
            }
            if (!c.bootFileName().isEmpty()) {
                reply.file(Arrays.copyOf(c.bootFileName().getBytes(StandardCharsets.US_ASCII), DhcpMessage.FILE_LENGTH));
            }
        }
    }

    /** DHCPNAK: only 53, 54, 56 and the echoed identifiers (RFC 2131 table 3). */
    static DhcpMessage nak(DhcpMessage request, Ipv4Address serverId, String why) {
        DhcpOptions.Builder o = DhcpOptions.builder();
        o.put(OptionCode.MESSAGE_TYPE, MessageType.NAK.code());
        o.put(OptionCode.SERVER_IDENTIFIER, serverId);
        o.putUnsafe(OptionCode.MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
        echoIdentifiers(o, request);
        DhcpMessage.Builder b = header(request).options(o.build());
        // RFC 2131 §4.3.2: a NAK through a relay has the broadcast bit set, so the relay broadcasts it.
        if (!request.giaddr().isAny()) {
            b.flags(request.flags() | DhcpMessage.FLAG_BROADCAST);
        }
        return b.build();
    }

    private static DhcpMessage.Builder header(DhcpMessage request) {
        return DhcpMessage.builder()
                .op(BootOp.BOOTREPLY)
                .htype(request.htype())
                .hlen(request.hlen())
                .xid(request.xid())
                .flags(request.flags())
                .giaddr(request.giaddr())
                .chaddr(request.chaddr());
    }

    /**
     * Client identifier back to the client (RFC 6842) and relay agent information back to the
     * relay (RFC 3046 §2.2); the encoder puts 82 last.
     */
    private static void echoIdentifiers(DhcpOptions.Builder o, DhcpMessage request) {
        byte[] clientId = request.options().getUnsafe(OptionCode.CLIENT_IDENTIFIER);
        if (clientId != null) {
            o.putUnsafe(OptionCode.CLIENT_IDENTIFIER, clientId);
        }
        byte[] relay = request.options().getUnsafe(OptionCode.RELAY_AGENT_INFORMATION);
        if (relay != null && !request.giaddr().isAny()) {
            o.putUnsafe(OptionCode.RELAY_AGENT_INFORMATION, relay);
        }
    }

    /**
     * Option 118 back, byte for byte, when the reply is for the subnet it selected: a server that
     * uses it "MUST return an identical copy" and a client that sent it discards an OFFER or ACK
     * without it (RFC 3011 §3). When the server ignores 118 ({@code subnet-selection: false}) and
     * chose another subnet, it stays out, so the client knows its selection was not honoured.
     */
    private static void echoSubnetSelection(DhcpOptions.Builder o, DhcpMessage request, SubnetRuntime subnet) {
        byte[] selection = request.options().getUnsafe(OptionCode.SUBNET_SELECTION);
        if (selection != null && request.subnetSelection().filter(subnet.config().prefix()::contains).isPresent()) {
            o.putUnsafe(OptionCode.SUBNET_SELECTION, selection);
        }
    }

    /**
     * Sends what the client asked for in option 55, in its order, plus every always-send option;
     * a client without 55 gets everything configured. The subnet mask is always sent
     * (RFC 2131 §3.3 expects it; clients that omit it from 55 still need it).
     */
    private static void addConfiguredOptions(DhcpOptions.Builder o, DhcpMessage request, SubnetRuntime subnet,
                                             List<ClientClassConfig> classes, Reservation reservation) {
        Map<Integer, OptionSetting> effective = subnet.options();
        if (!classes.isEmpty() || (reservation != null && !reservation.options().isEmpty())) {
            effective = new HashMap<>(effective);
            for (ClientClassConfig c : classes) {
                for (OptionSetting s : c.options()) {
                    effective.put(s.code(), s);
                }
            }
            if (reservation != null) {
                for (OptionSetting s : reservation.options()) {
                    effective.put(s.code(), s);
                }
            }
        }
        OptionSetting mask = effective.get(OptionCode.SUBNET_MASK);
        o.putUnsafe(OptionCode.SUBNET_MASK, mask != null ? mask.valueUnsafe() : subnet.config().prefix().netmask().toBytes());
        byte[] prl = request.options().getUnsafe(OptionCode.PARAMETER_REQUEST_LIST);
        if (prl == null) {
            for (OptionSetting s : effective.values()) {
                putIfAbsent(o, s);
            }
            return;
        }
        for (byte code : prl) {
            OptionSetting s = effective.get(code & 0xFF);
            if (s != null) {
                putIfAbsent(o, s);
            }
        }
        for (OptionSetting s : effective.values()) {
            if (s.alwaysSend()) {
                putIfAbsent(o, s);
            }
        }
    }

    /** Options the server sets itself (53, 54, 51, 58, 59, 1) are not overridden by configuration. */
    private static void putIfAbsent(DhcpOptions.Builder o, OptionSetting s) {
        if (!o.contains(s.code())) {
            o.putUnsafe(s.code(), s.valueUnsafe());
        }
    }
}
