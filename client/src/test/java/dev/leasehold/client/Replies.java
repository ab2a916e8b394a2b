package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;

/** Server replies to a client's message, as a test server would build them (RFC 2131 §4.3.1 table 3). */
final class Replies {

    private Replies() {
    }

    static DhcpMessage offer(DhcpMessage to, Ipv4Address server, Ipv4Address yiaddr, long leaseSeconds) {
        return reply(to, MessageType.OFFER, server, yiaddr, leaseSeconds);
    }

    static DhcpMessage ack(DhcpMessage to, Ipv4Address server, Ipv4Address yiaddr, long leaseSeconds) {
        return reply(to, MessageType.ACK, server, yiaddr, leaseSeconds);
    }

    static DhcpMessage nak(DhcpMessage to, Ipv4Address server) {
        DhcpOptions o = DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, MessageType.NAK.code())
                .put(OptionCode.SERVER_IDENTIFIER, server).build();
        return to.toBuilder().op(DhcpMessage.BootOp.BOOTREPLY).ciaddr(Ipv4Address.ANY).yiaddr(Ipv4Address.ANY)
                .options(o).build();
    }

    /** An INFORM's ACK: options, no lease time, no yiaddr (§4.3.5). */
    static DhcpMessage informAck(DhcpMessage to, Ipv4Address server) {
        DhcpOptions o = DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .put(OptionCode.SERVER_IDENTIFIER, server).put(OptionCode.DOMAIN_NAME_SERVERS, Ipv4Address.parse("192.0.2.53"))
                .build();
        return to.toBuilder().op(DhcpMessage.BootOp.BOOTREPLY).options(o).build();
    }

    private static DhcpMessage reply(DhcpMessage to, MessageType type, Ipv4Address server, Ipv4Address yiaddr, long lease) {
        DhcpOptions o = DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, type.code())
                .put(OptionCode.SERVER_IDENTIFIER, server).putU32(OptionCode.LEASE_TIME, lease)
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0")).build();
        return to.toBuilder().op(DhcpMessage.BootOp.BOOTREPLY).yiaddr(yiaddr).options(o).build();
    }
}
