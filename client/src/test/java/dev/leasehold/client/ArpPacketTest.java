package dev.leasehold.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.Ipv4Address;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ArpPacketTest {

    static final byte[] OURS = HexFormat.ofDelimiter(":").parseHex("02:00:00:00:00:01");
    static final byte[] THEIRS = HexFormat.ofDelimiter(":").parseHex("02:00:00:00:00:02");
    static final Ipv4Address CANDIDATE = Ipv4Address.parse("192.0.2.100");

    @Test
    void probeHasSenderAddressZeroAndTheCandidateAsTarget() {
        byte[] bytes = ArpPacket.probe(OURS, CANDIDATE).toBytes();
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "0001" + "0800" + "06" + "04" + "0001"   // Ethernet, IPv4, hlen 6, plen 4, request
                + "020000000001" + "00000000"            // sha ours, spa 0.0.0.0 (RFC 5227 §2.1.1)
                + "000000000000" + "c0000264");          // tha zero, tpa 192.0.2.100
        assertThat(ArpPacket.parse(bytes, bytes.length)).contains(ArpPacket.probe(OURS, CANDIDATE));
    }

    @Test
    void replyFromTheAddressIsAConflict() {
        ArpPacket reply = new ArpPacket(ArpPacket.REPLY, THEIRS, CANDIDATE, OURS, Ipv4Address.ANY);
        assertThat(reply.conflictsWith(CANDIDATE, OURS)).isTrue();
    }

    @Test
    void anotherHostProbingTheSameAddressIsAConflict() {
        assertThat(ArpPacket.probe(THEIRS, CANDIDATE).conflictsWith(CANDIDATE, OURS)).isTrue();
    }

    @Test
    void ourOwnProbeAndUnrelatedTrafficAreNot() {
        assertThat(ArpPacket.probe(OURS, CANDIDATE).conflictsWith(CANDIDATE, OURS)).isFalse();
        ArpPacket other = new ArpPacket(ArpPacket.REQUEST, THEIRS, Ipv4Address.parse("192.0.2.7"), new byte[6],
                Ipv4Address.parse("192.0.2.1"));
        assertThat(other.conflictsWith(CANDIDATE, OURS)).isFalse();
    }

    @Test
    void nonEthernetArpIsNotParsed() {
        byte[] bytes = ArpPacket.probe(OURS, CANDIDATE).toBytes();
        bytes[1] = 6; // IEEE 802 hardware type
        assertThat(ArpPacket.parse(bytes, bytes.length)).isEmpty();
        assertThat(ArpPacket.parse(bytes, 20)).isEmpty();
    }
}
