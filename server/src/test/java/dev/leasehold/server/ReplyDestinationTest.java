package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each rule of RFC 2131 §4.1 for where a server reply goes, in the RFC's order of precedence. */
class ReplyDestinationTest {

    private static final HardwareAddress MAC = HardwareAddress.parseEthernet("02:00:00:00:00:01");
    private static final Ipv4Address RELAY = Ipv4Address.parse("10.0.2.1");
    private static final Ipv4Address CLIENT = Ipv4Address.parse("10.0.0.150");
    private static final Ipv4Address OFFERED = Ipv4Address.parse("10.0.0.100");
    private static final InboundDatagram.Arrival ETH0 =
            new InboundDatagram.Arrival("eth0", 2, Ipv4Address.parse("10.0.0.1"), true);

    private static DhcpMessage.Builder request() {
        return DhcpMessage.builder().hardwareAddress(MAC).xid(42);
    }

    private static DhcpMessage reply(MessageType type, Ipv4Address yiaddr) {
        return DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).hardwareAddress(MAC).yiaddr(yiaddr)
                .options(DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, type.code()).build()).build();
    }

    private static InboundDatagram from(String address, int port) {
        return new InboundDatagram(new byte[0], 0, new InetSocketAddress(address, port), ETH0);
    }

    @ParameterizedTest
    @EnumSource(value = MessageType.class, names = {"OFFER", "ACK", "NAK"})
    void relayedRequestIsAnsweredToTheRelayOnTheServerPort(MessageType type) {
        DhcpMessage request = request().giaddr(RELAY).ciaddr(CLIENT).flags(DhcpMessage.FLAG_BROADCAST).build();

        assertThat(ReplyDestination.choose(request, reply(type, OFFERED), from("10.0.2.1", 67)))
                .isEqualTo(new Destination.Unicast(RELAY, 67));
    }

    @Test
    void relayAskingForItsSourcePortIsAnsweredOnThatPort() {
        DhcpMessage request = request().giaddr(RELAY).options(DhcpOptions.builder()
                .putUnsafe(OptionCode.RELAY_AGENT_INFORMATION, new byte[] {
                    1, 2, 'p', '1',   // sub-option 1, circuit id "p1"
                    19, 0})           // sub-option 19, relay source port (RFC 8357 §5.1), empty
                .build()).build();

        assertThat(ReplyDestination.choose(request, reply(MessageType.OFFER, OFFERED), from("10.0.2.1", 6767)))
                .isEqualTo(new Destination.Unicast(RELAY, 6767));
    }

    @Test
    void relayWithoutTheSourcePortSubOptionIsAnsweredOnPort67WhateverItsSourcePort() {
        DhcpMessage request = request().giaddr(RELAY).options(DhcpOptions.builder()
                .putUnsafe(OptionCode.RELAY_AGENT_INFORMATION, new byte[] {1, 2, 'p', '1'}).build()).build();

        assertThat(ReplyDestination.choose(request, reply(MessageType.OFFER, OFFERED), from("10.0.2.1", 6767)))
                .isEqualTo(new Destination.Unicast(RELAY, 67));
    }

    @Test
    void nakWithoutGiaddrIsBroadcastEvenToAClientWithAnAddress() {
        DhcpMessage request = request().ciaddr(CLIENT).build();

        assertThat(ReplyDestination.choose(request, reply(MessageType.NAK, Ipv4Address.ANY), from("10.0.0.150", 68)))
                .isEqualTo(new Destination.Broadcast(68, "eth0"));
    }

    @Test
    void directlyAttachedClientWithCiaddrIsAnsweredByAFrameToItsMacCarryingCiaddr() {
        // RENEWING / INFORM on a served interface: no ARP between the reply and the client
        DhcpMessage request = request().ciaddr(CLIENT).flags(DhcpMessage.FLAG_BROADCAST).build();

        assertThat(ReplyDestination.choose(request, reply(MessageType.ACK, CLIENT), from("10.0.0.150", 68)))
                .isEqualTo(new Destination.AddressedClientUnicast(MAC, CLIENT, 68, "eth0"));
    }

    @Test
    void clientWithCiaddrOnAPlainSocketIsAnsweredByUnicastToCiaddrOnTheClientPort() {
        DhcpMessage request = request().ciaddr(CLIENT).build();
        InboundDatagram plainSocket = new InboundDatagram(new byte[0], 0, new InetSocketAddress("10.0.0.150", 68),
                new InboundDatagram.Arrival("", 0, Ipv4Address.parse("10.0.0.1"), false));

        assertThat(ReplyDestination.choose(request, reply(MessageType.ACK, CLIENT), plainSocket))
                .isEqualTo(new Destination.Unicast(CLIENT, 68));
    }

    @Test
    void clientSettingTheBroadcastFlagIsAnsweredByBroadcast() {
        DhcpMessage request = request().flags(DhcpMessage.FLAG_BROADCAST).build();

        assertThat(ReplyDestination.choose(request, reply(MessageType.OFFER, OFFERED), from("0.0.0.0", 68)))
                .isEqualTo(new Destination.Broadcast(68, "eth0"));
    }

    @Test
    void otherwiseTheReplyIsALinkLayerUnicastToChaddrAndYiaddr() {
        DhcpMessage request = request().build();

        assertThat(ReplyDestination.choose(request, reply(MessageType.OFFER, OFFERED), from("0.0.0.0", 68)))
                .isEqualTo(new Destination.LinkLayerUnicast(MAC, OFFERED, 68, "eth0"));
    }
}
