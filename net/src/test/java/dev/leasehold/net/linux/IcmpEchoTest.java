package dev.leasehold.net.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {

    private static final long TOKEN = 0x0102030405060708L;

    @Test
    void echoRequestHasHandComputedChecksum() {
        // words 0800 0000 1234 0001 0102 0304 0506 0708 sum to 0x2a49; complement 0xd5b6
        assertThat(HexFormat.of().formatHex(IcmpEcho.request(0x1234, 1, TOKEN))).isEqualTo(""
                + "08" + "00"          // type 8 echo request, code 0
                + "d5b6"               // checksum
                + "1234" + "0001"      // identifier, sequence number
                + "0102030405060708"); // data: our token
    }

    @Test
    void replyEchoingOurTokenYieldsItsSequence() {
        byte[] reply = reply("1234", "0102030405060708");

        assertThat(IcmpEcho.replySequence(reply, 0, reply.length, 0x1234, TOKEN)).hasValue(0x00ab);
    }

    @Test
    void replyToAnotherPingerIsIgnored() {
        byte[] otherId = reply("4321", "0102030405060708");
        byte[] otherData = reply("1234", "ffffffffffffffff");

        assertThat(IcmpEcho.replySequence(otherId, 0, otherId.length, 0x1234, TOKEN)).isEmpty();
        assertThat(IcmpEcho.replySequence(otherData, 0, otherData.length, 0x1234, TOKEN)).isEmpty();
    }

    @Test
    void pingSocketReplyIsMatchedWithoutTheIdentifier() {
        byte[] reply = reply("beef", "0102030405060708");

        assertThat(IcmpEcho.replySequence(reply, 0, reply.length, -1, TOKEN)).hasValue(0x00ab);
    }

    @Test
    void echoRequestIsNotAReply() {
        byte[] request = IcmpEcho.request(0x1234, 0xab, TOKEN);

        assertThat(IcmpEcho.replySequence(request, 0, request.length, 0x1234, TOKEN)).isEmpty();
    }

    @Test
    void rawSocketDataStartsAfterTheIpHeader() {
        byte[] withOptions = new byte[40];
        withOptions[0] = 0x46; // version 4, IHL 6 words (one option word)

        assertThat(IcmpEcho.ipPayloadOffset(withOptions, 40)).isEqualTo(24);
        assertThat(IcmpEcho.ipPayloadOffset(new byte[]{0x60, 0, 0, 0}, 4)).isEqualTo(-1);
    }

    private static byte[] reply(String identifier, String data) {
        return HexFormat.of().parseHex("00" + "00" + "0000" + identifier + "00ab" + data); // checksum not checked
    }
}
