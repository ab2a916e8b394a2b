package dev.leasehold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.lease.InMemoryLeaseStore;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.testkit.FakeClock;
import dev.leasehold.testkit.InMemoryTransport;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MalformedMessageException;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replies larger than the client can take (RFC 2131 §2, RFC 2132 §9.10) are fitted, never
 * dropped: sname/file overload first, then options left out in {@link dev.leasehold.wire.ReplyFitter}'s
 * order. The options configured here (40 classless routes, RFC 3442, and a 300-byte site option,
 * RFC 3396) need far more than the 548 bytes a client without option 57 accepts.
 */
class ReplySizeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");
    private static final InboundDatagram.Arrival ETH0 = new InboundDatagram.Arrival("eth0", 2, SERVER, true);
    private static final int SITE_OPTION = 252;
    private static final String ROUTES = IntStream.rangeClosed(1, 40).mapToObj(i -> "10." + i + ".0.0/16 - 10.0.0.1")
            .collect(Collectors.joining(", "));
    private static final String CONFIG = """
            valid-lifetime: 1h
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                pools: [{range: 10.0.0.100-10.0.0.199}]
                options:
                  routers: 10.0.0.1
                  domain-name-servers: [10.0.0.53]
                  domain-name: example.org
                  ntp-servers: [10.0.0.123]
                  classless-static-route: "%s"
                  wpad: {code: 252, type: string, value: "%s", always-send: true}
            """.formatted(ROUTES, "w".repeat(300));

    private final FakeClock clock = FakeClock.standing();
    private final InMemoryTransport transport = new InMemoryTransport();
    private DhcpServer server;
    /** The size every reply of the test must fit. */
    private int lastLimit = DhcpCodec.MAX_UDP_PAYLOAD;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        transport.close();
    }

    private String config = CONFIG;

    private TestClient client(String mac) {
        if (server == null) {
            try {
                DhcpEngine engine = DhcpEngine.start(ConfigLoader.parse(config, "size.yaml"), new InMemoryLeaseStore(),
                        clock, new SplittableRandom(1));
                server = new DhcpServer(transport, engine, clock, 64);
            } catch (ConfigException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }
        return new TestClient(new ClientMessages(HardwareAddress.parseEthernet(mac), null, null,
                ClientMessages.RelayFields.NONE), this::exchange, clock);
    }

    /** Sends as bytes through the whole pipeline and reads the reply back as bytes. */
    private Optional<DhcpMessage> exchange(DhcpMessage request, TestClient.Delivery delivery) {
        byte[] bytes = DhcpCodec.encode(request);
        server.handle(new InboundDatagram(bytes, bytes.length, new InetSocketAddress("0.0.0.0", 68), ETH0));
        return transport.awaitSent(WAIT).map(this::checkedDecode);
    }

    private DhcpMessage checkedDecode(OutboundDatagram d) {
        assertThat(d.length()).as("reply size").isLessThanOrEqualTo(lastLimit);
        try {
            return DhcpCodec.decode(d.payload(), 0, d.length());
        } catch (MalformedMessageException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] prl(int... codes) {
        byte[] b = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            b[i] = (byte) codes[i];
        }
        return b;
    }

    @Test
    void clientWithoutOption57OrOption55StillGetsOfferAndAckWithinFiveHundredSeventySixBytes() {
        lastLimit = 548;
        TestClient c = client("02:00:00:00:00:01").withoutOption(OptionCode.MAX_MESSAGE_SIZE)
                .withoutOption(OptionCode.PARAMETER_REQUEST_LIST);

        DhcpMessage offer = c.discover();
        Optional<DhcpMessage> ack = c.select(offer);

        assertThat(offer.messageType()).contains(MessageType.OFFER);
        assertThat(ack).map(m -> m.messageType().orElseThrow()).contains(MessageType.ACK);
        for (DhcpMessage reply : new DhcpMessage[] {offer, ack.orElseThrow()}) {
            for (int essential : new int[] {1, 3, 6, 51, 53, 54, 58, 59}) {
                assertThat(reply.options().contains(essential)).as("option %d", essential).isTrue();
            }
        }
        assertThat(server.trimmedReplyCount()).isEqualTo(2);
        assertThat(server.oversizedReplyCount()).isZero();
    }

    @Test
    void renewalWithoutParameterRequestListIsAnsweredNotDropped() {
        lastLimit = 548;
        TestClient c = client("02:00:00:00:00:02").withoutOption(OptionCode.MAX_MESSAGE_SIZE);
        c.withOption(OptionCode.PARAMETER_REQUEST_LIST, prl(1, 3, 6));
        c.dora();
        c.withoutOption(OptionCode.PARAMETER_REQUEST_LIST);

        Optional<DhcpMessage> ack = c.renew();

        assertThat(ack.flatMap(DhcpMessage::messageType)).contains(MessageType.ACK);
        assertThat(ack.orElseThrow().requestedLeaseTime()).hasValue(3600);
    }

    @Test
    void optionsTheClientDidNotAskForGoFirstThenTheLastItListed() {
        lastLimit = 548;
        // asks for routes before the site option: the site option is the one left out
        TestClient c = client("02:00:00:00:00:03").withoutOption(OptionCode.MAX_MESSAGE_SIZE)
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, prl(1, 3, 6, 121, 15, SITE_OPTION));

        DhcpMessage offer = c.discover();

        assertThat(offer.options().contains(OptionCode.CLASSLESS_STATIC_ROUTES)).isTrue();
        assertThat(offer.options().contains(OptionCode.DOMAIN_NAME)).isTrue();
        assertThat(offer.options().contains(OptionCode.NTP_SERVERS)).as("not asked for").isFalse();
        assertThat(offer.options().contains(SITE_OPTION)).as("asked for last").isFalse();
    }

    @Test
    void repeatedAndUnknownCodesInOption55DoNotCostTheReply() {
        lastLimit = 548;
        // 121 twice (its first place counts), 200 and 201 configured nowhere, the site option twice
        TestClient c = client("02:00:00:00:00:04").withoutOption(OptionCode.MAX_MESSAGE_SIZE)
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, prl(121, 200, 1, 121, 3, 6, SITE_OPTION, 201, SITE_OPTION));

        DhcpMessage offer = c.discover();
        Optional<DhcpMessage> ack = c.select(offer);

        assertThat(ack.flatMap(DhcpMessage::messageType)).contains(MessageType.ACK);
        assertThat(ack.orElseThrow().options().contains(OptionCode.CLASSLESS_STATIC_ROUTES)).isTrue();
        assertThat(ack.orElseThrow().options().contains(SITE_OPTION)).isFalse();
        assertThat(ack.orElseThrow().options().contains(200)).isFalse();
    }

    @Test
    void clientAcceptingLargeMessagesGetsEveryOptionWhole() {
        lastLimit = 1500 - 28;
        TestClient c = client("02:00:00:00:00:05")
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, prl(1, 3, 6, 121, SITE_OPTION));

        DhcpMessage offer = c.discover();

        assertThat(offer.options().getUnsafe(SITE_OPTION)).hasSize(300);
        assertThat(offer.options().getUnsafe(OptionCode.CLASSLESS_STATIC_ROUTES)).hasSize(40 * 7);
        assertThat(server.trimmedReplyCount()).isZero();
    }

    @Test
    void directReplyFitsOneEthernetFrameEvenWhenOption57AllowsMore() {
        lastLimit = DhcpServer.ETHERNET_PAYLOAD;
        // another 1000 bytes of site options: the reply now needs more than a 1500-byte frame
        config = CONFIG + "      253: {type: string, value: \"%s\", always-send: true}\n".formatted("v".repeat(1000));
        TestClient c = client("02:00:00:00:00:06").withOption(OptionCode.MAX_MESSAGE_SIZE, new byte[] {0x10, 0x00})
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, prl(1, 3, 6, 121, SITE_OPTION, 253));

        DhcpMessage offer = c.discover();

        assertThat(offer.options().contains(OptionCode.CLASSLESS_STATIC_ROUTES)).isTrue();
        assertThat(offer.options().contains(253)).as("listed last").isFalse();
        assertThat(server.trimmedReplyCount()).isEqualTo(1);
    }
}
