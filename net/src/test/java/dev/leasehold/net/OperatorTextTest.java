package dev.leasehold.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.net.linux.InterfaceStatus;
import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.wire.Ipv4Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the transports put into log lines and errors: addresses as operators write them, and the fix for a refused bind. */
class OperatorTextTest {

    @Test
    void socketAddressIsWrittenWithoutTheLeadingSlash() throws Exception {
        assertThat(HostPort.of(new InetSocketAddress(Ipv4Address.parse("0.0.0.0").toInetAddress(), 67))).isEqualTo("0.0.0.0:67");
        assertThat(HostPort.of(new InetSocketAddress("127.0.0.1", 8067))).isEqualTo("127.0.0.1:8067");
    }

    @Test
    void boundUdpTransportReportsItsAddressPlainly() throws Exception {
        try (UdpTransport udp = UdpTransport.bind(Ipv4Address.parse("127.0.0.1"), 0)) {
            assertThat(HostPort.of(udp.localAddress())).matches("127\\.0\\.0\\.1:\\d+");
        }
    }

    @Test
    void refusedBindOfAPrivilegedPortNamesTheCapability() {
        assertThat(BindAdvice.forFailure(new BindException("Permission denied"), 67))
                .startsWith("; ").contains("CAP_NET_BIND_SERVICE").contains("AmbientCapabilities");
    }

    @Test
    void portInUseNamesTheLikelyHolders() {
        assertThat(BindAdvice.forFailure(new BindException("Address already in use"), 67)).contains("ss -ulpn");
    }

    @Test
    void otherFailuresGetNoAdvice() {
        assertThat(BindAdvice.forFailure(new IOException("Cannot assign requested address"), 67)).isEmpty();
        assertThat(BindAdvice.forFailure(new BindException("Permission denied"), 6767)).isEmpty();
        assertThat(BindAdvice.forFailure(new IOException((String) null), 67)).isEmpty();
    }

    @Test
    void interfaceStatusReadsAsNameStateAndAddresses() {
        var serving = new InterfaceStatus("eth1", InterfaceStatus.State.SERVING, 3,
                List.of(new InterfaceAddress(Ipv4Address.parse("192.0.2.1"), 24)), "");
        var missing = new InterfaceStatus("eth2", InterfaceStatus.State.MISSING, 0, List.of(), "no interface eth2");
        assertThat(List.of(serving, missing).toString()).isEqualTo("[eth1 (serving 192.0.2.1/24), eth2 (missing)]");
    }
}
