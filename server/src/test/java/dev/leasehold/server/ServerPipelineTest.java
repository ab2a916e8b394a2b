package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.engine.DropReason;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.InMemoryTransport;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-packet pipeline end to end, as bytes: datagrams go in through an {@link InMemoryTransport},
 * the server decodes, asks the engine, picks the destination (RFC 2131 §4.1) and encodes.
 */
class ServerPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Long enough that a reply the server was going to send would have been sent. */
    private static final Duration SILENCE = Duration.ofMillis(300);
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final InboundDatagram.Arrival ETH0_BROADCAST = new InboundDatagram.Arrival("eth0", 2, SERVER, true);
    private static final InboundDatagram.Arrival ETH0_UNICAST = new InboundDatagram.Arrival("eth0", 2, SERVER, false);
    private static final InetSocketAddress NO_ADDRESS_YET = new InetSocketAddress("0.0.0.0", 68);
    private static final byte[] MAC = {0x02, 0x00, 0x5E, 0x10, 0x20, 0x30};

    private static final String CONFIG = """
            valid-lifetime: 1h
            allocation: iterative
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                pools: [{range: 10.0.0.100-10.0.0.199}]
                options: {routers: 10.0.0.1}
              - id: 2
                subnet: 10.0.2.0/24
                pools: [{range: 10.0.2.100-10.0.2.199}]
            """;

    private final FakeClock clock = FakeClock.standing();
    private final InMemoryTransport transport = new InMemoryTransport();
    private DhcpServer server;

    private DhcpServer start(LeaseStore store, int maxInFlight) {
        try {
            DhcpEngine engine = DhcpEngine.start(ConfigLoader.parse(CONFIG, "pipeline.yaml"), store, clock,
                    new SplittableRandom(3));
            server = new DhcpServer(transport, engine, clock, maxInFlight);
            return server;
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        transport.close();
    }

    /**
     * A DHCPDISCOVER as a client puts it on the wire (RFC 2131 §2, figure 1; options RFC 2132),
     * padded to the 300-byte BOOTP minimum as most clients do.
     */
    static byte[] discoverFixture() {
        ByteBuffer b = ByteBuffer.allocate(300);
        b.put((byte) 1);                       // op: BOOTREQUEST
        b.put((byte) 1);                       // htype: Ethernet
        b.put((byte) 6);                       // hlen: 6-byte MAC
        b.put((byte) 0);                       // hops
        b.putInt(0x3903F326);                  // xid
        b.putShort((short) 0);                 // secs
        b.putShort((short) 0);                 // flags: broadcast bit clear, the client takes unicast
        b.putInt(0);                           // ciaddr: none yet
        b.putInt(0);                           // yiaddr
        b.putInt(0);                           // siaddr
        b.putInt(0);                           // giaddr: not relayed
        b.put(MAC).put(new byte[10]);          // chaddr: the MAC, zero-padded to 16 bytes
        b.put(new byte[64]);                   // sname: unused
        b.put(new byte[128]);                  // file: unused
        b.putInt(0x63825363);                  // magic cookie (RFC 2131 §3)
        b.put(new byte[] {53, 1, 1});          // option 53, message type: DHCPDISCOVER
        b.put(new byte[] {55, 3, 1, 3, 6});    // option 55, parameter request list: mask, routers, DNS
        b.put(new byte[] {57, 2, 0x05, (byte) 0xDC}); // option 57, max message size 1500
        b.put((byte) 255);                     // end; the rest is pad (zeros)
        return b.array();
    }

    private OutboundDatagram awaitReply() {
        return transport.awaitSent(WAIT).orElseThrow(() -> new AssertionError("the server sent nothing within " + WAIT));
    }

    private static DhcpMessage decode(OutboundDatagram d) {
        try {
            return DhcpCodec.decode(d.payload(), 0, d.length());
        } catch (MalformedMessageException e) {
            throw new AssertionError("the server sent a malformed message: " + e.getMessage(), e);
        }
    }

    @Test
    void fullDoraAsBytesEndsWithAStoredLease() {
        InMemoryLeaseStore store = new InMemoryLeaseStore();
        start(store, 64).start();

        transport.inject(discoverFixture(), NO_ADDRESS_YET, ETH0_BROADCAST);
        OutboundDatagram offerDatagram = awaitReply();
        DhcpMessage offer = decode(offerDatagram);

        assertThat(offer.op()).isEqualTo(DhcpMessage.BootOp.BOOTREPLY);
        assertThat(offer.messageType()).contains(MessageType.OFFER);
        assertThat(offer.xid()).isEqualTo(0x3903F326);
        assertThat(offer.yiaddr()).isEqualTo(Ipv4Address.parse("10.0.0.100"));
        assertThat(offer.serverIdentifier()).contains(SERVER);
        assertThat(Arrays.copyOf(offer.chaddr(), 6)).isEqualTo(MAC);
        // No ciaddr, no broadcast bit, not relayed: a link-layer unicast (RFC 2131 §4.1).
        assertThat(offerDatagram.destination()).isEqualTo(new Destination.LinkLayerUnicast(
                new HardwareAddress(1, MAC), offer.yiaddr(), 68, "eth0"));

        ClientMessages client = new ClientMessages(new HardwareAddress(1, MAC), null, null, ClientMessages.RelayFields.NONE);
        byte[] request = DhcpCodec.encode(client.requestSelecting(offer.xid(), SERVER, offer.yiaddr()));
        transport.inject(request, NO_ADDRESS_YET, ETH0_BROADCAST);
        OutboundDatagram ackDatagram = awaitReply();
        DhcpMessage ack = decode(ackDatagram);

        assertThat(ack.messageType()).contains(MessageType.ACK);
        assertThat(ack.yiaddr()).isEqualTo(offer.yiaddr());
        assertThat(ack.requestedLeaseTime()).hasValue(3600);
        assertThat(ackDatagram.destination()).isEqualTo(offerDatagram.destination());
        assertThat(store.get(ack.yiaddr()).orElseThrow().state()).isEqualTo(LeaseState.ACTIVE);

        // Renewing at T1: unicast from the bound address, answered by a frame to chaddr carrying ciaddr, port 68.
        transport.inject(DhcpCodec.encode(client.requestRenew(7, ack.yiaddr())),
                new InetSocketAddress(ack.yiaddr().toInetAddress(), 68), ETH0_UNICAST);
        OutboundDatagram renewal = awaitReply();
        assertThat(decode(renewal).messageType()).contains(MessageType.ACK);
        assertThat(renewal.destination()).isEqualTo(new Destination.AddressedClientUnicast(
                new HardwareAddress(1, MAC), ack.yiaddr(), 68, "eth0"));
        assertThat(server.receivedCount()).isEqualTo(3);
        // The counter moves just after the send the test has already seen: wait for it, bounded.
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (server.sentCount() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.sentCount()).isEqualTo(3);
    }

    @Test
    void relayedDoraIsAnsweredToTheRelayOnItsPort() {
        start(new InMemoryLeaseStore(), 64).start();
        Ipv4Address relay = Ipv4Address.parse("10.0.2.1");
        ClientMessages plainRelay = new ClientMessages(new HardwareAddress(1, MAC), null, null,
                new ClientMessages.RelayFields(relay, new byte[] {'p', '1'}, false));
        ClientMessages portRelay = new ClientMessages(new HardwareAddress(1, MAC), null, null,
                new ClientMessages.RelayFields(relay, new byte[] {'p', '1'}, true));

        transport.inject(DhcpCodec.encode(plainRelay.discover(1, null, false)), new InetSocketAddress("10.0.2.1", 67),
                new InboundDatagram.Arrival("", 0, SERVER, false));
        OutboundDatagram viaPort67 = awaitReply();
        transport.inject(DhcpCodec.encode(portRelay.discover(2, null, false)), new InetSocketAddress("10.0.2.1", 6767),
                new InboundDatagram.Arrival("", 0, SERVER, false));
        OutboundDatagram viaOwnPort = awaitReply();

        assertThat(decode(viaPort67).yiaddr()).isEqualTo(Ipv4Address.parse("10.0.2.100"));
        assertThat(viaPort67.destination()).isEqualTo(new Destination.Unicast(relay, 67));
        assertThat(viaOwnPort.destination()).isEqualTo(new Destination.Unicast(relay, 6767));
    }

    @Test
    void relayAskingForServerIdentifierOverrideIsNamedInOption54() {
        // RFC 5107: the relay's sub-option 11 makes renewals come through it, not straight to us.
        start(new InMemoryLeaseStore(), 64).start();
        Ipv4Address relay = Ipv4Address.parse("10.0.2.1");
        DhcpMessage discover = new ClientMessages(new HardwareAddress(1, MAC), null, null,
                new ClientMessages.RelayFields(relay, new byte[] {'p', '1'}, false)).discover(1, null, false);
        byte[] withOverride = {1, 2, 'p', '1', 11, 4, 10, 0, 2, 1};   // circuit id "p1", override 10.0.2.1
        discover = discover.toBuilder().options(discover.options().toBuilder()
                .put(dev.leasehold.wire.OptionCode.RELAY_AGENT_INFORMATION, withOverride).build()).build();

        transport.inject(DhcpCodec.encode(discover), new InetSocketAddress("10.0.2.1", 67),
                new InboundDatagram.Arrival("", 0, SERVER, false));

        assertThat(decode(awaitReply()).serverIdentifier()).contains(relay);
    }

    @Test
    void nakToADirectClientIsBroadcast() {
        start(new InMemoryLeaseStore(), 64).start();
        ClientMessages client = new ClientMessages(new HardwareAddress(1, MAC), null, null, ClientMessages.RelayFields.NONE);

        // SELECTING us for an address on another network.
        transport.inject(DhcpCodec.encode(client.requestSelecting(5, SERVER, Ipv4Address.parse("10.0.2.150"))),
                NO_ADDRESS_YET, ETH0_BROADCAST);
        OutboundDatagram nak = awaitReply();

        assertThat(decode(nak).messageType()).contains(MessageType.NAK);
        assertThat(nak.destination()).isEqualTo(new Destination.Broadcast(68, "eth0"));
    }

    @Test
    void informIsAnsweredToCiaddrWithoutArp() {
        start(new InMemoryLeaseStore(), 64).start();
        ClientMessages client = new ClientMessages(new HardwareAddress(1, MAC), null, null, ClientMessages.RelayFields.NONE);
        Ipv4Address manual = Ipv4Address.parse("10.0.0.55");

        transport.inject(DhcpCodec.encode(client.inform(3, manual)), new InetSocketAddress(manual.toInetAddress(), 68),
                ETH0_UNICAST);
        OutboundDatagram ack = awaitReply();

        assertThat(decode(ack).messageType()).contains(MessageType.ACK);
        assertThat(decode(ack).yiaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(ack.destination()).isEqualTo(new Destination.AddressedClientUnicast(new HardwareAddress(1, MAC), manual, 68, "eth0"));
    }

    @Test
    void offerToAClientSettingTheBroadcastFlagIsBroadcast() {
        start(new InMemoryLeaseStore(), 64).start();
        byte[] discover = discoverFixture();
        discover[10] = (byte) 0x80;                             // flags: the broadcast bit (RFC 2131 §2, figure 2)

        transport.inject(discover, NO_ADDRESS_YET, ETH0_BROADCAST);
        OutboundDatagram offer = awaitReply();

        assertThat(decode(offer).messageType()).contains(MessageType.OFFER);
        assertThat(offer.destination()).isEqualTo(new Destination.Broadcast(68, "eth0"));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 100, 235, 239})
    void truncatedPacketIsCountedAndDroppedWithoutReply(int length) {
        DhcpServer s = start(new InMemoryLeaseStore(), 64);

        s.handle(new InboundDatagram(Arrays.copyOf(discoverFixture(), length), length, NO_ADDRESS_YET, ETH0_BROADCAST));

        assertThat(transport.drainSent()).isEmpty();
        assertThat(s.malformedCount()).isEqualTo(1);
        assertThat(s.engine().counters().droppedCount(DropReason.MALFORMED)).isEqualTo(1);
    }

    @Test
    void malformedPacketsAreCountedDroppedAndDoNotStopService() {
        start(new InMemoryLeaseStore(), 64).start();
        byte[] badCookie = discoverFixture();
        badCookie[236] = 0x12;                                  // magic cookie 0x12825363
        byte[] badOp = discoverFixture();
        badOp[0] = 7;                                           // op 7: neither request nor reply
        byte[] longHlen = discoverFixture();
        longHlen[2] = 17;                                       // hlen 17: longer than chaddr
        byte[] optionOverrun = discoverFixture();
        optionOverrun[240 + 3] = 55;                            // option 55...
        optionOverrun[240 + 4] = (byte) 200;                    // ...claims 200 bytes; 60 remain
        Arrays.fill(optionOverrun, 240 + 5, 300, (byte) 1);     // and no end option in reach

        for (byte[] bad : new byte[][] {badCookie, badOp, longHlen, optionOverrun}) {
            transport.inject(bad, NO_ADDRESS_YET, ETH0_BROADCAST);
        }
        transport.inject(discoverFixture(), NO_ADDRESS_YET, ETH0_BROADCAST);

        DhcpMessage reply = decode(awaitReply());
        assertThat(reply.messageType()).contains(MessageType.OFFER);
        assertThat(transport.awaitSent(SILENCE)).isEmpty();
        assertThat(server.malformedCount()).isEqualTo(4);
        assertThat(server.engine().counters().droppedCount(DropReason.MALFORMED)).isEqualTo(4);
        assertThat(server.receivedCount()).isEqualTo(5);
    }

    @Test
    void aRequestThatWaitedInTheSocketLongerThanAClientWaitsIsDroppedAsTooOld() {
        DhcpServer s = start(new InMemoryLeaseStore(), 8);
        ClientMessages client = new ClientMessages(new HardwareAddress(1, new byte[] {2, 0, 0, 0, 0, 7}), null, null,
                ClientMessages.RelayFields.NONE);
        byte[] bytes = DhcpCodec.encode(client.discover(1, null, false));
        long now = System.currentTimeMillis() * 1_000_000L;

        s.handle(new InboundDatagram(bytes, bytes.length, NO_ADDRESS_YET, ETH0_BROADCAST,
                now - (DhcpServer.MAX_QUEUE_WAIT_MILLIS + 1_000) * 1_000_000L));
        assertThat(s.engine().counters().droppedCount(DropReason.TOO_OLD)).isEqualTo(1);
        assertThat(transport.drainSent()).isEmpty();

        // One that waited a second is still worth an answer.
        s.handle(new InboundDatagram(bytes, bytes.length, NO_ADDRESS_YET, ETH0_BROADCAST, now - 1_000_000_000L));
        assertThat(transport.awaitSent(WAIT).map(ServerPipelineTest::decode).flatMap(DhcpMessage::messageType))
                .contains(MessageType.OFFER);
        assertThat(s.engine().counters().droppedCount(DropReason.TOO_OLD)).isEqualTo(1);
    }

    @Test
    void requestsBeyondTheInFlightBoundAreDroppedAsOverloaded() {
        GatedLeaseStore store = new GatedLeaseStore(new InMemoryLeaseStore());
        DhcpServer s = start(store, 2);
        ClientMessages[] clients = new ClientMessages[3];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new ClientMessages(new HardwareAddress(1, new byte[] {2, 0, 0, 0, 0, (byte) i}), null, null,
                    ClientMessages.RelayFields.NONE);
        }

        // Two SELECTING requests whose lease writes the store holds back: both stay in flight.
        for (int i = 0; i < 2; i++) {
            s.handle(datagram(clients[i].requestSelecting(i, SERVER, Ipv4Address.parse("10.0.0.15" + i))));
        }
        s.handle(datagram(clients[2].discover(9, null, false)));

        assertThat(s.engine().counters().droppedCount(DropReason.OVERLOADED)).isEqualTo(1);
        assertThat(transport.drainSent()).isEmpty();

        store.open();
        assertThat(transport.awaitSent(WAIT).map(ServerPipelineTest::decode).flatMap(DhcpMessage::messageType))
                .contains(MessageType.ACK);
        assertThat(transport.awaitSent(WAIT).map(ServerPipelineTest::decode).flatMap(DhcpMessage::messageType))
                .contains(MessageType.ACK);

        // With the bound free again, the next request is served.
        s.handle(datagram(clients[2].discover(10, null, false)));
        Optional<OutboundDatagram> offer = transport.awaitSent(WAIT);
        assertThat(offer.map(ServerPipelineTest::decode).flatMap(DhcpMessage::messageType)).contains(MessageType.OFFER);
    }

    private static InboundDatagram datagram(DhcpMessage message) {
        byte[] bytes = DhcpCodec.encode(message);
        return new InboundDatagram(bytes, bytes.length, NO_ADDRESS_YET, ETH0_BROADCAST);
    }
}
