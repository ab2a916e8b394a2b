package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link ReplyFitter}: overload before omission, the omission order, and what is never omitted. */
class ReplyFitterTest {

    private static DhcpMessage request(byte[] prl) {
        DhcpOptions.Builder o = DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, MessageType.REQUEST.code());
        if (prl != null) {
            o.put(OptionCode.PARAMETER_REQUEST_LIST, prl);
        }
        return DhcpMessage.builder().xid(1).options(o.build()).build();
    }

    private static DhcpOptions.Builder essentials() {
        return DhcpOptions.builder()
                .put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .put(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("10.0.0.1"))
                .putU32(OptionCode.LEASE_TIME, 3600)
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"));
    }

    private static DhcpMessage reply(DhcpOptions options) {
        return DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).xid(1).options(options).build();
    }

    private static DhcpMessage decode(byte[] bytes) throws MalformedMessageException {
        return DhcpCodec.decode(bytes);
    }

    @Test
    void overloadOfFileAndSnameComesBeforeLeavingAnythingOut() throws Exception {
        // 250 + 100 bytes of options: too many for the 308-byte options field of a 548-byte message
        DhcpMessage reply = reply(essentials().put(121, new byte[250]).put(252, new byte[100]).build());

        ReplyFitter.Fitted fitted = ReplyFitter.fit(reply, request(null), 548);

        assertThat(fitted.omitted()).isEmpty();
        assertThat(fitted.bytes().length).isLessThanOrEqualTo(548);
        assertThat(decode(fitted.bytes()).options()).isEqualTo(reply.options());
    }

    @Test
    void unrequestedOptionsGoFirstHighestCodeFirstThenRequestedFromTheEndOfOption55() {
        DhcpOptions options = essentials().put(15, new byte[10]).put(252, new byte[10]).put(42, new byte[8])
                .put(121, new byte[10]).build();

        assertThat(ReplyFitter.sheddingOrder(options, new byte[] {1, 121, 15, 121, 99})).containsExactly(252, 42, 15, 121);
        assertThat(ReplyFitter.sheddingOrder(options, null)).containsExactly(252, 121, 42, 15);
    }

    @Test
    void essentialOptionsAreNeverLeftOut() throws Exception {
        DhcpMessage reply = reply(essentials().put(OptionCode.ROUTERS, new byte[4]).put(OptionCode.DOMAIN_NAME_SERVERS, new byte[8])
                .put(OptionCode.RENEWAL_TIME, new byte[4]).put(OptionCode.REBINDING_TIME, new byte[4])
                .put(OptionCode.CLIENT_IDENTIFIER, new byte[7]).put(OptionCode.SUBNET_SELECTION, new byte[4])
                .put(43, new byte[255]).put(252, new byte[255]).put(253, new byte[255]).build());

        ReplyFitter.Fitted fitted = ReplyFitter.fit(reply, request(new byte[] {43, (byte) 252, (byte) 253}), 548);

        assertThat(fitted.omitted()).containsExactly(253, 252);
        DhcpMessage sent = decode(fitted.bytes());
        for (int code : new int[] {1, 3, 6, 51, 53, 54, 58, 59, 61, 118, 43}) {
            assertThat(sent.options().contains(code)).as("option %d", code).isTrue();
        }
    }

    @Test
    void aReplyWhoseEssentialOptionsAloneDoNotFitIsRefused() {
        DhcpMessage reply = reply(essentials().put(OptionCode.CLIENT_IDENTIFIER, new byte[600]).put(15, new byte[5]).build());

        assertThatThrownBy(() -> ReplyFitter.fit(reply, request(null), 548)).isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void theLimitIsOption57LessHeadersButNeverBelow576() {
        DhcpMessage big = request(null).toBuilder().options(request(null).options().toBuilder()
                .putUnsafe(OptionCode.MAX_MESSAGE_SIZE, new byte[] {0x05, (byte) 0xDC}).build()).build();
        DhcpMessage tiny = request(null).toBuilder().options(request(null).options().toBuilder()
                .putUnsafe(OptionCode.MAX_MESSAGE_SIZE, new byte[] {0x01, 0x00}).build()).build();

        assertThat(DhcpCodec.maxReplySize(big)).isEqualTo(1500 - 28);
        assertThat(DhcpCodec.maxReplySize(tiny)).isEqualTo(576 - 28);
        assertThat(DhcpCodec.maxReplySize(request(null))).isEqualTo(576 - 28);
    }
}
