package dev.leasehold.net.linux;

import dev.leasehold.wire.InterfaceAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.net.Destination;
import dev.leasehold.net.InboundDatagram;
import dev.leasehold.net.OutboundDatagram;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport on the loopback interface, on a free high port: no root and no namespace needed
 * (SO_BINDTODEVICE is unprivileged since Linux 5.7), and no traffic leaves the host.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinuxTransportLoopbackTest {

    private static final Ipv4Address LOOPBACK = Ipv4Address.parse("127.0.0.1");

    @Test
    void unicastArrivalNamesTheInterfaceAndTheAddressItWasSentTo() throws Exception {
        int port = freePort();
        try (LinuxTransport transport = LinuxTransport.open(options(port, "lo"));
             DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
            peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

            InboundDatagram in = transport.receive();

            assertThat(new String(in.payload(), 0, in.length(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(in.source()).isEqualTo(peer.getLocalAddress());
            assertThat(in.arrival().interfaceName()).isEqualTo("lo");
            assertThat(in.arrival().interfaceIndex()).isEqualTo(java.net.NetworkInterface.getByName("lo").getIndex());
            assertThat(in.arrival().localAddress()).isEqualTo(LOOPBACK);
            assertThat(in.arrival().broadcast()).isFalse();
        }
    }

    @Test
    void aBurstLargerThanOneBatchArrivesWholeInOrderWithEachSendersAddress() throws Exception {
        int port = freePort();
        int count = DatagramReceiver.BATCH * 2 + 3; // two full recvmmsg batches and a partial one
        try (LinuxTransport transport = LinuxTransport.open(options(port, "lo"));
             DatagramChannel first = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel second = DatagramChannel.open(StandardProtocolFamily.INET)) {
            first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < count; i++) {
                // Lengths differ per datagram, so a slot reporting another slot's length shows.
                byte[] payload = ("datagram-" + i + "-" + "x".repeat(i)).getBytes(StandardCharsets.US_ASCII);
                (i % 2 == 0 ? first : second).send(ByteBuffer.wrap(payload), server);
            }

            for (int i = 0; i < count; i++) {
                InboundDatagram in = transport.receive();
                assertThat(new String(in.payload(), 0, in.length(), StandardCharsets.US_ASCII))
                        .isEqualTo("datagram-" + i + "-" + "x".repeat(i));
                assertThat(in.source()).isEqualTo((i % 2 == 0 ? first : second).getLocalAddress());
                assertThat(in.arrival().localAddress()).isEqualTo(LOOPBACK);
            }
        }
    }

    @Test
    void datagramsTheFullQueueDroppedAreCountedAndEachArrivalCarriesTheKernelsReceiveTime() throws Exception {
        int port = freePort();
        try (LinuxTransport transport = LinuxTransport.open(options(port, "lo"));
             DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
            peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            assertThat(transport.receiveQueueOverflows()).hasValue(0);
            // 400 datagrams of 60,000 bytes (24 MB) at a queue of at most a few MiB: most are dropped.
            int sent = 400;
            byte[] big = new byte[60_000];
            for (int i = 0; i < sent; i++) {
                peer.send(ByteBuffer.wrap(big), server);
            }
            long before = System.currentTimeMillis();
            InboundDatagram first = transport.receive();
            assertThat(first.receivedAtEpochNanos() / 1_000_000).isBetween(before - 10_000, before + 1_000);
            // Room for one more now: a small marker, queued after every drop, carries their count.
            byte[] marker = "after".getBytes(StandardCharsets.US_ASCII);
            peer.send(ByteBuffer.wrap(marker), server);
            int queued = 1;
            while (transport.receive().length() != marker.length) {
                queued++;
                assertThat(queued).isLessThanOrEqualTo(sent);
            }
            assertThat(queued).isLessThan(sent);
            assertThat(transport.receiveQueueOverflows()).hasValue(sent - queued);
        }
    }

    @Test
    void unicastReplyReachesTheSenderFromTheServerPort() throws Exception {
        int port = freePort();
        try (LinuxTransport transport = LinuxTransport.open(options(port, "lo"));
             DatagramChannel peer = DatagramChannel.open(StandardProtocolFamily.INET)) {
            peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            byte[] reply = "reply".getBytes(StandardCharsets.US_ASCII);

            transport.send(new OutboundDatagram(reply, reply.length, new Destination.Unicast(LOOPBACK, peerPort)));

            ByteBuffer got = ByteBuffer.allocate(64);
            InetSocketAddress from = (InetSocketAddress) peer.receive(got);
            assertThat(new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII)).isEqualTo("reply");
            assertThat(from.getPort()).isEqualTo(port);
        }
    }

    @Test
    void addressesOfReportsPrefixLengths() throws Exception {
        try (LinuxTransport transport = LinuxTransport.open(options(freePort(), "lo"))) {
            assertThat(transport.addressesOf("lo")).contains(new InterfaceAddress(LOOPBACK, 8));
            assertThat(transport.addressesOf("nosuch0")).isEmpty();
        }
    }

    @Test
    void missingInterfaceIsReportedAndTheOthersAreServed() throws Exception {
        try (LinuxTransport transport = LinuxTransport.open(options(freePort(), "lo", "lhmissing0"))) {
            assertThat(transport.interfaces()).extracting(InterfaceStatus::name, InterfaceStatus::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("lo", InterfaceStatus.State.SERVING),
                            org.assertj.core.groups.Tuple.tuple("lhmissing0", InterfaceStatus.State.MISSING));
            assertThat(transport.interfaces().get(1).detail()).contains("lhmissing0").contains("as soon as it appears");
        }
    }

    @Test
    void onlyMissingInterfacesStillOpensAndWaits() throws Exception {
        try (LinuxTransport transport = LinuxTransport.open(options(freePort(), "lhmissing0"))) {
            assertThat(transport.interfaces()).singleElement()
                    .extracting(InterfaceStatus::state).isEqualTo(InterfaceStatus.State.MISSING);
        }
    }

    @Test
    void portTakenOnEveryInterfaceFailsNamingTheInterfaceAndTheCause() throws Exception {
        try (DatagramChannel squatter = DatagramChannel.open(StandardProtocolFamily.INET)) {
            squatter.bind(new InetSocketAddress(0)); // 0.0.0.0:P, no SO_REUSEADDR
            int port = ((InetSocketAddress) squatter.getLocalAddress()).getPort();

            assertThatThrownBy(() -> LinuxTransport.open(options(port, "lo")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot serve any interface")
                    .hasMessageContaining("interface lo: bind(0.0.0.0:" + port + "): Address already in use (EADDRINUSE)")
                    .hasMessageContaining("another DHCP server or relay");
        }
    }

    @Test
    void closeUnblocksAWaitingReceiver() throws Exception {
        LinuxTransport transport = LinuxTransport.open(options(freePort(), "lo"));
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                transport.receive();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(200);

        transport.close();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> transport.send(new OutboundDatagram(new byte[1], 1,
                new Destination.Unicast(LOOPBACK, 9)))).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void unicastToAnAddressNoInterfaceReachesFailsClearly() throws Exception {
        // 127.0.0.1 is the only served interface; a TEST-NET address is on none of its prefixes,
        // and whatever route the host has for it does not leave from lo. Nothing is sent.
        try (LinuxTransport transport = LinuxTransport.open(options(freePort(), "lo"))) {
            assertThatThrownBy(() -> transport.send(new OutboundDatagram(new byte[1], 1,
                    new Destination.Unicast(Ipv4Address.parse("192.0.2.99"), 9))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("192.0.2.99");
        }
    }

    @Test
    void optionsRejectStarMixedWithNames() {
        assertThatThrownBy(() -> LinuxTransport.Options.serving(List.of("*", "eth0")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LinuxTransport.Options options(int port, String... interfaces) {
        return LinuxTransport.Options.serving(List.of(interfaces)).withPort(port).withRescanInterval(Duration.ofSeconds(1));
    }

    private static int freePort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
