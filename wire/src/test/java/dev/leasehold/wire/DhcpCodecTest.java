package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DhcpCodecTest {

    private static byte[] hex(String h) {
        return HexFixtures.parse(h);
    }

    private static Ipv4Address ip(String s) {
        return Ipv4Address.parse(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"discover", "request", "ack", "nak", "inform", "relayed-discover"})
    void fixtureReencodesByteForByte(String name) throws Exception {
        byte[] wire = HexFixtures.resource("fixtures/" + name + ".hex");
        assertThat(DhcpCodec.encode(DhcpCodec.decode(wire))).isEqualTo(wire);
    }

    @Test
    void discoverFixtureDecodesFieldByField() throws Exception {
        DhcpMessage m = DhcpCodec.decode(HexFixtures.resource("fixtures/discover.hex"));
        assertThat(m.op()).isEqualTo(DhcpMessage.BootOp.BOOTREQUEST);
        assertThat(m.htype()).isEqualTo(1);
        assertThat(m.hlen()).isEqualTo(6);
        assertThat(m.xid()).isEqualTo(0x3903f326);
        assertThat(m.secs()).isEqualTo(3);
        assertThat(m.broadcastFlag()).isTrue();
        assertThat(m.ciaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(m.hardwareAddress()).isEqualTo(HardwareAddress.parseEthernet("52:54:00:12:34:56"));
        assertThat(m.messageType()).contains(MessageType.DISCOVER);
        assertThat(m.requestedAddress()).contains(ip("192.168.1.100"));
        assertThat(m.hostName()).contains("host1");
        assertThat(m.clientIdentifier()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("01525400123456")));
        assertThat(m.parameterRequestList()).hasValueSatisfying(v -> assertThat(v).hasSize(13).startsWith(1, 28, 2));
        assertThat(m.options().asList()).extracting(DhcpOption::code).containsExactly(53, 61, 50, 12, 55);
    }

    @Test
    void requestFixtureNamesServerAndMaxSize() throws Exception {
        DhcpMessage m = DhcpCodec.decode(HexFixtures.resource("fixtures/request.hex"));
        assertThat(m.messageType()).contains(MessageType.REQUEST);
        assertThat(m.serverIdentifier()).contains(ip("192.168.1.1"));
        assertThat(m.maxMessageSize()).hasValue(1500);
        assertThat(DhcpCodec.maxReplySize(m)).isEqualTo(1472);
    }

    @Test
    void ackFixtureCarriesLeaseAndNetworkOptions() throws Exception {
        DhcpMessage m = DhcpCodec.decode(HexFixtures.resource("fixtures/ack.hex"));
        assertThat(m.op()).isEqualTo(DhcpMessage.BootOp.BOOTREPLY);
        assertThat(m.messageType()).contains(MessageType.ACK);
        assertThat(m.yiaddr()).isEqualTo(ip("192.168.1.100"));
        assertThat(m.requestedLeaseTime()).hasValue(86400);
        OptionDefinitions defs = OptionDefinitions.standard();
        assertThat(defs.byCode(6).orElseThrow().formatText(m.options().getUnsafe(6))).isEqualTo("192.168.1.1, 8.8.8.8");
        assertThat(defs.byCode(15).orElseThrow().formatText(m.options().getUnsafe(15))).isEqualTo("example.com");
    }

    @Test
    void nakAndInformFixturesDecode() throws Exception {
        DhcpMessage nak = DhcpCodec.decode(HexFixtures.resource("fixtures/nak.hex"));
        assertThat(nak.messageType()).contains(MessageType.NAK);
        assertThat(new String(nak.options().getUnsafe(OptionCode.MESSAGE))).isEqualTo("wrong network");
        DhcpMessage inform = DhcpCodec.decode(HexFixtures.resource("fixtures/inform.hex"));
        assertThat(inform.messageType()).contains(MessageType.INFORM);
        assertThat(inform.ciaddr()).isEqualTo(ip("192.168.1.50"));
    }

    @Test
    void relayedDiscoverExposesRelayAgentSubOptions() throws Exception {
        DhcpMessage m = DhcpCodec.decode(HexFixtures.resource("fixtures/relayed-discover.hex"));
        assertThat(m.giaddr()).isEqualTo(ip("10.20.0.1"));
        assertThat(m.hops()).isEqualTo(1);
        RelayAgentInformation rai = m.relayAgentInformation().orElseThrow();
        assertThat(rai.circuitId()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("00040064000c")));
        assertThat(rai.remoteId()).hasValueSatisfying(v -> assertThat(v).isEqualTo(hex("aabbccddeeff")));
        assertThat(rai.linkSelection()).contains(ip("10.20.0.0"));
        assertThat(rai.serverIdentifierOverride()).contains(ip("10.20.0.1"));
        assertThat(rai.relaySourcePort()).isTrue();
        assertThat(rai.subOptions()).extracting(RelayAgentInformation.SubOption::code).containsExactly(1, 2, 5, 11, 19);
        assertThat(rai.toBytes()).isEqualTo(m.options().getUnsafe(82));
    }

    @Test
    void relayAgentInformationGoesLastOnEncode() throws Exception {
        DhcpOptions options = DhcpOptions.builder()
                .put(OptionCode.MESSAGE_TYPE, MessageType.OFFER.code())
                .put(OptionCode.RELAY_AGENT_INFORMATION, hex("0104 00000001"))
                .put(OptionCode.SERVER_IDENTIFIER, ip("10.0.0.1"))
                .build();
        byte[] wire = DhcpCodec.encode(DhcpMessage.builder().options(options).build());
        assertThat(Arrays.copyOfRange(wire, 240, 258)).isEqualTo(hex("350102 3604 0a000001 5206 0104 00000001 ff"));
        assertThat(DhcpCodec.decode(wire).options().asList()).extracting(DhcpOption::code).containsExactly(53, 54, 82);
    }

    @Test
    void shortReplyIsPaddedToBootpMinimum() throws Exception {
        DhcpMessage m = DhcpMessage.builder().options(DhcpOptions.builder().put(53, 6).build()).build();
        byte[] wire = DhcpCodec.encode(m);
        assertThat(wire).hasSize(300);
        assertThat(Arrays.copyOfRange(wire, 240, 244)).isEqualTo(hex("350106ff"));
        assertThat(Arrays.copyOfRange(wire, 244, 300)).containsOnly(0);
    }

    @Test
    void encodingIntoReusedBufferOverwritesOldBytes() throws Exception {
        byte[] buffer = new byte[1500];
        Arrays.fill(buffer, (byte) 0x5a);
        DhcpMessage m = DhcpCodec.decode(HexFixtures.resource("fixtures/nak.hex"));
        int n = DhcpCodec.encode(m, buffer, 548);
        assertThat(Arrays.copyOf(buffer, n)).isEqualTo(HexFixtures.resource("fixtures/nak.hex"));
    }

    @Test
    void optionLongerThan255BytesIsSplitAndJoined() throws Exception {
        byte[] big = new byte[600];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        DhcpMessage m = DhcpMessage.builder().options(DhcpOptions.builder().put(53, 1).put(119, big).put(12, "h".getBytes()).build()).build();
        byte[] wire = DhcpCodec.encode(m);
        // 53, then 119 as 255 + 255 + 90 bytes in consecutive instances (RFC 3396 §7), then 12
        assertThat(wire[243] & 0xFF).isEqualTo(119);
        assertThat(wire[244] & 0xFF).isEqualTo(255);
        assertThat(wire[243 + 257] & 0xFF).isEqualTo(119);
        assertThat(wire[243 + 514] & 0xFF).isEqualTo(119);
        assertThat(wire[243 + 515] & 0xFF).isEqualTo(90);
        assertThat(DhcpCodec.decode(wire)).isEqualTo(m);
    }

    @Test
    void splitInstancesAreJoinedInOrderEvenWhenApart() throws Exception {
        byte[] wire = message("""
                0c 02 6162      # 12 host name, first part "ab"
                35 01 01        # 53 DISCOVER
                0c 01 63        # 12 again: "c" joins the first (RFC 3396 §6)
                ff""");
        DhcpMessage m = DhcpCodec.decode(wire);
        assertThat(m.hostName()).contains("abc");
        assertThat(m.options().asList()).extracting(DhcpOption::code).containsExactly(12, 53);
    }

    @Test
    void overloadedFileAndSnameAreDecodedAfterOptionsField() throws Exception {
        byte[] wire = DhcpCodec.encode(DhcpMessage.builder().build());
        byte[] withOverload = Arrays.copyOf(wire, 300);
        // sname (offset 44): 15 "ex", end; file (offset 108): 15 "am", 12 "f", end
        System.arraycopy(hex("0f 02 6578 ff"), 0, withOverload, 44, 5);
        System.arraycopy(hex("0f 02 616d 0c 01 66 ff"), 0, withOverload, 108, 8);
        System.arraycopy(hex("34 01 03  35 01 05  0f 02 6c65 ff"), 0, withOverload, 240, 11);
        DhcpMessage m = DhcpCodec.decode(withOverload);
        // joined in the order options field, file, sname (RFC 3396 §6): "le" + "am" + "ex"
        assertThat(new String(m.options().getUnsafe(15))).isEqualTo("leamex");
        assertThat(m.options().asList()).extracting(DhcpOption::code).containsExactly(53, 15, 12);
        assertThat(m.sname()).containsOnly(0);
        assertThat(m.file()).containsOnly(0);
        assertThat(m.options().contains(OptionCode.OVERLOAD)).isFalse();
    }

    @Test
    void encoderOverloadsFileThenSnameWhenOptionsDoNotFit() throws Exception {
        byte[] vendor = new byte[250];
        Arrays.fill(vendor, (byte) 7);
        DhcpOptions options = DhcpOptions.builder()
                .put(53, 5)
                .put(43, vendor)
                .put(60, "a-vendor-class-that-is-long-enough-to-matter".getBytes())
                .put(67, "pxelinux/with/a/rather/long/path/to/boot/from.0".getBytes())
                .put(12, "h".repeat(40).getBytes())
                .put(82, hex("0104 01020304"))
                .build();
        DhcpMessage m = DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).options(options).build();
        assertThat(DhcpCodec.plainSize(m)).isGreaterThan(DhcpCodec.DEFAULT_MAX_MESSAGE_SIZE);
        byte[] wire = DhcpCodec.encode(m, DhcpCodec.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(wire.length).isLessThanOrEqualTo(548);
        assertThat(Arrays.copyOfRange(wire, 240, 243)).isEqualTo(hex("34 01 03"));
        DhcpMessage back = DhcpCodec.decode(wire);
        assertThat(back.options().asList()).containsExactlyInAnyOrderElementsOf(options.asList());
        assertThat(back.options().getUnsafe(43)).isEqualTo(vendor);
        // option 82 stays the last option of the options field, where relay agents look
        int end = 240;
        while ((wire[end] & 0xFF) != 255) {
            end += (wire[end] & 0xFF) == 0 ? 1 : 2 + (wire[end + 1] & 0xFF);
        }
        assertThat(Arrays.copyOfRange(wire, end - 8, end)).isEqualTo(hex("5206 0104 01020304"));
    }

    @Test
    void encoderLeavesSnameAndFileAloneWhenTheyCarryNames() {
        byte[] sname = new byte[64];
        sname[0] = 's';
        byte[] file = new byte[128];
        file[0] = 'f';
        DhcpMessage m = DhcpMessage.builder().sname(sname).file(file)
                .options(DhcpOptions.builder().put(43, new byte[400]).build()).build();
        assertThatThrownBy(() -> DhcpCodec.encode(m, 548))
                .isInstanceOf(MessageTooLargeException.class)
                .satisfies(e -> assertThat(((MessageTooLargeException) e).maxSize()).isEqualTo(548));
    }

    @Test
    void tooManyOptionsFailClearlyEvenWithOverload() {
        DhcpMessage m = DhcpMessage.builder().options(DhcpOptions.builder().put(43, new byte[700]).build()).build();
        assertThatThrownBy(() -> DhcpCodec.encode(m, 548))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("548");
    }

    @Test
    void limitBelowBootpMinimumIsRefused() {
        DhcpMessage m = DhcpMessage.builder().build();
        assertThatThrownBy(() -> DhcpCodec.encode(m, 299)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300");
        assertThatThrownBy(() -> DhcpCodec.encode(m, new byte[299], 1500)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxReplySizeFollowsOption57ButNeverBelow576() {
        DhcpMessage none = DhcpMessage.builder().build();
        assertThat(DhcpCodec.maxReplySize(none)).isEqualTo(548);
        DhcpMessage small = DhcpMessage.builder().options(DhcpOptions.builder().put(57, hex("0100")).build()).build();
        assertThat(DhcpCodec.maxReplySize(small)).isEqualTo(548);
        DhcpMessage big = DhcpMessage.builder().options(DhcpOptions.builder().put(57, hex("2328")).build()).build();
        assertThat(DhcpCodec.maxReplySize(big)).isEqualTo(9000 - 28);
    }

    @Test
    void unknownOptionsAndMessageTypeSurviveByteForByte() throws Exception {
        byte[] wire = message("""
                35 01 63        # 53 message type 99: unknown
                fe 03 010203    # 254: private use
                e0 00           # 224: unknown, empty
                aa 02 ffff      # 170: unknown
                ff""");
        DhcpMessage m = DhcpCodec.decode(wire);
        assertThat(m.messageType()).isEmpty();
        assertThat(m.options().asList()).extracting(DhcpOption::code).containsExactly(53, 254, 224, 170);
        assertThat(DhcpCodec.encode(m)).isEqualTo(wire);
    }

    @Test
    void decodeReadsMessageInsideLargerBuffer() throws Exception {
        byte[] wire = HexFixtures.resource("fixtures/discover.hex");
        byte[] buffer = new byte[wire.length + 100];
        System.arraycopy(wire, 0, buffer, 42, wire.length);
        assertThat(DhcpCodec.decode(buffer, 42, wire.length)).isEqualTo(DhcpCodec.decode(wire));
    }

    // ------------------------------------------------------------ bad input

    @Test
    void truncatedHeaderIsMalformedAtItsEnd() {
        assertMalformed(new byte[100], 100, "truncated header");
        assertMalformed(Arrays.copyOf(HexFixtures.resource("fixtures/discover.hex"), 238), 236, "magic cookie");
    }

    @Test
    void wrongMagicCookieIsMalformed() {
        byte[] wire = HexFixtures.resource("fixtures/discover.hex");
        wire[239] = 0x64;
        assertMalformed(wire, 236, "magic cookie is 0x63825364");
    }

    @Test
    void badOpIsMalformed() {
        byte[] wire = HexFixtures.resource("fixtures/discover.hex");
        wire[0] = 3;
        assertMalformed(wire, 0, "op is 3");
    }

    @Test
    void hardwareLengthOver16IsMalformed() {
        byte[] wire = HexFixtures.resource("fixtures/discover.hex");
        wire[2] = 17;
        assertMalformed(wire, 2, "hlen is 17");
    }

    @Test
    void optionLengthPastTheEndIsMalformed() {
        byte[] wire = hex("""
                01 01 06 00 00000001 0000 0000 00000000 00000000 00000000 00000000 00*16 00*64 00*128
                63825363
                35 01 01
                0c 09 6162   # claims 9 bytes, 2 remain""");
        assertMalformed(wire, 244, "option 12 has length 9, past the end of the options field");
    }

    @Test
    void optionWithoutLengthByteIsMalformed() {
        byte[] wire = hex("01 01 06 00 00000001 0000 0000 00*16 00*16 00*64 00*128 63825363 35 01 01 0c");
        assertMalformed(wire, 243, "no length byte");
    }

    @Test
    void overloadNamingFieldsTwiceIsMalformed() {
        byte[] wire = message("34 01 01  35 01 01  34 01 02  ff");
        assertMalformed(wire, 246, "appears twice");
    }

    @Test
    void overloadInsideOverloadedFieldIsMalformed() {
        byte[] wire = message("34 01 01  35 01 01  ff");
        System.arraycopy(hex("34 01 02 ff"), 0, wire, 108, 4);
        assertMalformed(wire, 108, "inside the file field");
    }

    @Test
    void overloadWithBadValueOrLengthIsMalformed() {
        assertMalformed(message("34 01 04 35 01 01 ff"), 242, "not 1 (file), 2 (sname) or 3");
        assertMalformed(message("34 02 0101 35 01 01 ff"), 241, "must be 1 byte");
    }

    @Test
    void overloadedFieldWithOptionPastItsEndIsMalformed() {
        byte[] wire = message("34 01 02  35 01 01  ff");
        System.arraycopy(hex("0c 7f 61"), 0, wire, 44, 3);
        assertMalformed(wire, 45, "past the end of the sname field");
    }

    @Test
    void emptyMessageTypeIsMalformed() {
        assertMalformed(message("35 00 ff"), 241, "option 53 (dhcp-message-type) must be 1 byte long, is 0");
    }

    @Test
    void emptyValueWhereOneIsRequiredIsMalformed() {
        assertMalformed(message("35 01 01 36 00 ff"), 244, "option 54 (dhcp-server-identifier) is empty but needs a value");
        assertMalformed(message("35 01 01 03 00 ff"), 244, "option 3 (routers) is empty");
    }

    @Test
    void emptyValueIsFineWhereTheRfcAllowsIt() throws Exception {
        DhcpMessage m = DhcpCodec.decode(message("35 01 01 50 00 44 00 ff"));
        assertThat(m.options().getUnsafe(OptionCode.RAPID_COMMIT)).isEmpty();
        assertThat(m.options().getUnsafe(68)).isEmpty();
    }

    @Test
    void sixtyFourKibOfJunkIsOneMalformedMessage() {
        byte[] junk = new byte[65_536];
        new java.util.Random(42).nextBytes(junk);
        junk[0] = 1;
        junk[2] = 6;
        assertMalformed(junk, 236, "magic cookie");
    }

    @Test
    void sixtyFourKibOfOptionsDecodeWithinBoundedAllocation() throws Exception {
        // one option code split into 21,800 one-byte instances: joining must not copy quadratically
        byte[] wire = new byte[240 + 3 * 21_800 + 1];
        System.arraycopy(message("ff"), 0, wire, 0, 240);
        for (int p = 240; p + 3 <= wire.length - 1; p += 3) {
            wire[p] = (byte) 200;
            wire[p + 1] = 1;
            wire[p + 2] = (byte) p;
        }
        wire[wire.length - 1] = (byte) 255;
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        DhcpCodec.decode(wire); // warm up class loading
        long before = threads.getThreadAllocatedBytes(tid);
        DhcpMessage m = DhcpCodec.decode(wire);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(m.options().getUnsafe(200)).hasSize(21_800);
        assertThat(allocated).isLessThan(2L * wire.length + 16_384);
    }

    private static void assertMalformed(byte[] wire, int offset, String reason) {
        assertThatThrownBy(() -> DhcpCodec.decode(wire))
                .isInstanceOf(MalformedMessageException.class)
                .satisfies(e -> {
                    MalformedMessageException m = (MalformedMessageException) e;
                    assertThat(m.reason()).contains(reason);
                    assertThat(m.offset()).isEqualTo(offset);
                });
    }

    /** A BOOTREQUEST header from 02:00:00:00:00:01 followed by the cookie and these option bytes. */
    static byte[] message(String options) {
        byte[] opts = hex(options);
        byte[] header = hex("01 01 06 00 0000abcd 0000 0000 00000000 00000000 00000000 00000000 020000000001 00*10 00*64 00*128 63825363");
        byte[] out = Arrays.copyOf(header, Math.max(300, header.length + opts.length));
        System.arraycopy(opts, 0, out, header.length, opts.length);
        return out;
    }

    @Test
    void fixtureHelperBuildsWhatItSays() {
        assertThat(message("ff")).hasSize(300);
        assertThat(HexFormat.of().formatHex(hex("00*3 ab # comment"))).isEqualTo("000000ab");
    }
}
