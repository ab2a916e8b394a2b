package dev.leasehold.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/** The plain listen socket: one server per address and port (loopback only). */
class UdpTransportTest {

    private static final Ipv4Address LOOPBACK = Ipv4Address.parse("127.0.0.1");

    @Test
    void secondServerOnTheSameAddressAndPortIsRefusedNamingThem() throws IOException {
        try (UdpTransport first = UdpTransport.bind(LOOPBACK, 0)) {
            int port = first.localAddress().getPort();

            assertThatThrownBy(() -> UdpTransport.bind(LOOPBACK, port).close())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("in use")
                    .hasMessageContaining("ss -ulpn");
        }
    }

    @Test
    void anotherProgramCannotShareThePortWithSoReuseaddrEither() throws IOException {
        // What a second dnsmasq or Leasehold with SO_REUSEADDR would try: it must fail too.
        try (UdpTransport first = UdpTransport.bind(LOOPBACK, 0);
             DatagramChannel intruder = DatagramChannel.open(StandardProtocolFamily.INET)) {
            intruder.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress taken = new InetSocketAddress(LOOPBACK.toInetAddress(), first.localAddress().getPort());

            assertThatThrownBy(() -> intruder.bind(taken)).isInstanceOf(java.net.BindException.class);
        }
    }

    @Test
    void thePortIsFreeAgainOnceTheServerCloses() throws IOException {
        int port;
        try (UdpTransport first = UdpTransport.bind(LOOPBACK, 0)) {
            port = first.localAddress().getPort();
        }
        try (UdpTransport again = UdpTransport.bind(LOOPBACK, port)) {
            assertThat(again.localAddress().getPort()).isEqualTo(port);
        }
    }
}
