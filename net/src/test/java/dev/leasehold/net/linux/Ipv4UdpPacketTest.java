package dev.leasehold.net.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.wire.Ipv4Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ipv4UdpPacketTest {

    private static final Ipv4Address SERVER = Ipv4Address.parse("192.0.2.1");
    private static final Ipv4Address YIADDR = Ipv4Address.parse("192.0.2.77");

    /*
     * Hand computation for the fixture below (RFC 1071 one's complement sums):
     * IPv4 words 4500 0021 0000 4000 4011 0000 c000 0201 c000 024d = 0x24980 -> 0x4982 -> ~ = 0xb67d
     * pseudo-header c000 0201 c000 024d 0011 000d = 0x1846c
     * UDP words 0043 0044 000d 0000 0102 0304 0500(pad) = 0x099a; 0x1846c + 0x099a = 0x18e06 -> 0x8e07 -> ~ = 0x71f8
     */
    private static final byte[] EXPECTED = HexFormat.of().parseHex(
            "45" + "00"          // version 4, IHL 5; TOS 0
            + "0021"             // total length 33 = 20 + 8 + 5
            + "0000" + "4000"    // identification 0; flags DF, fragment offset 0
            + "40" + "11"        // TTL 64; protocol 17 (UDP)
            + "b67d"             // header checksum
            + "c0000201"         // source 192.0.2.1
            + "c000024d"         // destination 192.0.2.77
            + "0043" + "0044"    // UDP source port 67, destination port 68
            + "000d"             // UDP length 13 = 8 + 5
            + "71f8"             // UDP checksum over the pseudo-header
            + "0102030405");     // payload (odd length: the checksum pads it with a zero byte)

    @Test
    void buildsIpv4AndUdpHeadersWithHandComputedChecksums() {
        byte[] payload = {1, 2, 3, 4, 5, 99, 99};

        byte[] packet = Ipv4UdpPacket.build(SERVER, 67, YIADDR, 68, payload, 5);

        assertThat(HexFormat.of().formatHex(packet)).isEqualTo(HexFormat.of().formatHex(EXPECTED));
    }

    @Test
    void headerChecksumVerifiesToZero() {
        byte[] packet = Ipv4UdpPacket.build(SERVER, 67, Ipv4Address.parse("10.20.30.40"), 68, new byte[300], 300);

        assertThat(Ipv4UdpPacket.checksum(packet, 0, 20, 0)).isZero();
        int udpLength = packet.length - 20;
        long pseudo = Ipv4UdpPacket.pseudoHeaderSum(SERVER, Ipv4Address.parse("10.20.30.40"), udpLength);
        assertThat(Ipv4UdpPacket.checksum(packet, 20, udpLength, pseudo)).isZero();
    }

    @Test
    void checksumOfRfc1071ExampleWords() {
        // RFC 1071 §3 example: words 0001 f203 f4f5 f6f7 sum to 0x2ddf0 -> 0xddf2, complement 0x220d.
        byte[] words = HexFormat.of().parseHex("0001f203f4f5f6f7");

        assertThat(Ipv4UdpPacket.checksum(words, 0, words.length, 0)).isEqualTo(0x220d);
    }

    @Test
    void writeRefusesABufferTooSmall() {
        assertThatThrownBy(() -> Ipv4UdpPacket.write(new byte[30], SERVER, 67, YIADDR, 68, new byte[10], 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
