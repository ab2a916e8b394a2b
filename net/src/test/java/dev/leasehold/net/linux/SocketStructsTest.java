package dev.leasehold.net.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The layouts must match glibc's structures on 64-bit Linux byte for byte, or the kernel reads garbage. */
class SocketStructsTest {

    @Test
    void structureSizesMatchLinux() {
        assertThat(SocketStructs.SOCKADDR_IN.byteSize()).isEqualTo(16);
        assertThat(SocketStructs.SOCKADDR_LL.byteSize()).isEqualTo(20);
        assertThat(SocketStructs.IOVEC.byteSize()).isEqualTo(16);
        assertThat(SocketStructs.MSGHDR.byteSize()).isEqualTo(56);
        assertThat(SocketStructs.CMSGHDR.byteSize()).isEqualTo(16);
        assertThat(SocketStructs.IN_PKTINFO.byteSize()).isEqualTo(12);
        assertThat(SocketStructs.POLLFD.byteSize()).isEqualTo(8);
    }

    @Test
    void msghdrFieldsSitWhereGlibcPutsThem() {
        assertThat(SocketStructs.MSG_NAME).isEqualTo(0);
        assertThat(SocketStructs.MSG_NAMELEN).isEqualTo(8);
        assertThat(SocketStructs.MSG_IOV).isEqualTo(16);
        assertThat(SocketStructs.MSG_IOVLEN).isEqualTo(24);
        assertThat(SocketStructs.MSG_CONTROL).isEqualTo(32);
        assertThat(SocketStructs.MSG_CONTROLLEN).isEqualTo(40);
        assertThat(SocketStructs.MSG_FLAGS).isEqualTo(48);
    }

    @Test
    void sockaddrInHasHostOrderFamilyAndNetworkOrderPortAndAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SocketStructs.SOCKADDR_IN);
            s.fill((byte) 0x5a);

            SocketStructs.writeSockaddrIn(s, Ipv4Address.parse("192.0.2.1"), 67);

            assertThat(hex(s)).isEqualTo(""
                    + "0200"              // sin_family AF_INET = 2, little-endian
                    + "0043"              // sin_port 67, big-endian
                    + "c0000201"          // sin_addr 192.0.2.1
                    + "0000000000000000"); // sin_zero
            assertThat(SocketStructs.sockaddrInAddress(s)).isEqualTo(Ipv4Address.parse("192.0.2.1"));
            assertThat(SocketStructs.sockaddrInPort(s)).isEqualTo(67);
        }
    }

    @Test
    void sockaddrLlNamesInterfaceEthertypeAndMac() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SocketStructs.SOCKADDR_LL);
            s.fill((byte) 0x5a);

            SocketStructs.writeSockaddrLl(s, 0x0107, HexFormat.of().parseHex("020000aabbcc"));

            assertThat(hex(s)).isEqualTo(""
                    + "1100"              // sll_family AF_PACKET = 17, little-endian
                    + "0800"              // sll_protocol ETH_P_IP, big-endian
                    + "07010000"          // sll_ifindex 263, little-endian
                    + "0000"              // sll_hatype (ignored on send)
                    + "00"                // sll_pkttype (ignored on send)
                    + "06"                // sll_halen
                    + "020000aabbcc0000"); // sll_addr, 8 bytes
        }
    }

    @Test
    void inPktinfoAddressesAreReadInNetworkOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom(ValueLayout.JAVA_BYTE, HexFormat.of().parseHex(""
                    + "03000000"   // ipi_ifindex 3
                    + "c0000201"   // ipi_spec_dst 192.0.2.1
                    + "ffffffff")); // ipi_addr 255.255.255.255

            assertThat(s.get(ValueLayout.JAVA_INT, 0)).isEqualTo(3);
            assertThat(new Ipv4Address(s.get(SocketStructs.NET_INT, 4))).isEqualTo(Ipv4Address.parse("192.0.2.1"));
            assertThat(new Ipv4Address(s.get(SocketStructs.NET_INT, 8))).isEqualTo(Ipv4Address.BROADCAST);
        }
    }

    private static String hex(MemorySegment s) {
        return HexFormat.of().formatHex(s.toArray(ValueLayout.JAVA_BYTE));
    }
}
