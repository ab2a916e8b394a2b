package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsCoverage;

class DhcpCodecPropertyTest {

    private static final String[] FIXTURES = {"discover", "request", "ack", "nak", "inform", "relayed-discover"};

    @Property
    void decodingAnEncodedMessageGivesItBack(@ForAll("messages") DhcpMessage message) throws Exception {
        assertThat(DhcpCodec.decode(DhcpCodec.encode(message))).isEqualTo(message);
    }

    @Property
    void encodingWithinALimitStaysWithinItAndKeepsEveryOption(
            @ForAll("messagesWithEmptySnameAndFile") DhcpMessage message, @ForAll @IntRange(min = 300, max = 1500) int limit)
            throws Exception {
        byte[] wire;
        try {
            wire = DhcpCodec.encode(message, limit);
        } catch (MessageTooLargeException e) {
            // only when even sname and file together cannot take the overflow
            assertThat(DhcpCodec.plainSize(message)).isGreaterThan(limit);
            Statistics.collect("too large");
            return;
        }
        Statistics.collect(wire[240] == OptionCode.OVERLOAD ? "overloaded" : "plain");
        assertThat(wire.length).isBetween(300, limit);
        DhcpMessage back = DhcpCodec.decode(wire);
        assertThat(back.toBuilder().options(DhcpOptions.empty()).build())
                .isEqualTo(message.toBuilder().options(DhcpOptions.empty()).build());
        // the order survives except that option 82 may now sit before options moved to file/sname
        assertThat(withoutRelayInfo(back.options())).isEqualTo(withoutRelayInfo(message.options()));
        assertThat(back.options().getUnsafe(82)).isEqualTo(message.options().getUnsafe(82));
        Statistics.coverage(this::everyLayoutOccurs);
    }

    private void everyLayoutOccurs(StatisticsCoverage coverage) {
        coverage.check("overloaded").count(n -> n >= 20);
        coverage.check("plain").count(n -> n >= 20);
        coverage.check("too large").count(n -> n >= 20);
    }

    @Property
    void randomBytesAreEitherAMessageOrMalformed(@ForAll @Size(max = 1200) byte[] data) {
        decodeOrMalformed(data);
    }

    @Property
    void randomOptionsBehindAValidHeaderAreEitherAMessageOrMalformed(
            @ForAll @Size(min = 240, max = 1200) byte[] data, @ForAll @IntRange(min = 0, max = 16) int hlen) {
        data[0] = 1;
        data[2] = (byte) hlen;
        data[236] = 0x63;
        data[237] = (byte) 0x82;
        data[238] = 0x53;
        data[239] = 0x63;
        decodeOrMalformed(data);
    }

    @Property
    void mutatedValidPacketsAreEitherAMessageOrMalformed(
            @ForAll @IntRange(min = 0, max = 5) int fixture,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 302) Integer> positions,
            @ForAll @Size(min = 8, max = 8) byte[] values,
            @ForAll @IntRange(min = 0, max = 303) int truncateTo) {
        byte[] wire = HexFixtures.resource("fixtures/" + FIXTURES[fixture] + ".hex");
        for (int i = 0; i < positions.size(); i++) {
            int p = Math.min(positions.get(i), wire.length - 1);
            wire[p] = values[i];
        }
        decodeOrMalformed(wire);
        decodeOrMalformed(Arrays.copyOf(wire, Math.min(truncateTo, wire.length)));
    }

    /** Anything but a message or a MalformedMessageException fails the property. */
    private static void decodeOrMalformed(byte[] data) {
        try {
            DhcpMessage m = DhcpCodec.decode(data);
            // what decodes must encode again
            DhcpCodec.encode(m);
        } catch (MalformedMessageException e) {
            assertThat(e.offset()).isBetween(0, data.length);
            assertThat(e.reason()).isNotBlank();
        }
    }

    private static List<DhcpOption> withoutRelayInfo(DhcpOptions options) {
        List<DhcpOption> out = new ArrayList<>(options.asList());
        out.removeIf(o -> o.code() == 82);
        return out;
    }

    // ------------------------------------------------------------ generators

    @Provide
    Arbitrary<DhcpMessage> messages() {
        return messages(Arbitraries.bytes().array(byte[].class).ofSize(64), Arbitraries.bytes().array(byte[].class).ofSize(128));
    }

    @Provide
    Arbitrary<DhcpMessage> messagesWithEmptySnameAndFile() {
        return messages(Arbitraries.just(new byte[64]), Arbitraries.just(new byte[128]));
    }

    private static Arbitrary<DhcpMessage> messages(Arbitrary<byte[]> sname, Arbitrary<byte[]> file) {
        Arbitrary<Integer> oneByte = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> twoBytes = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Ipv4Address> address = Arbitraries.integers().map(Ipv4Address::new);
        Arbitrary<DhcpMessage.Builder> header = Combinators.combine(
                Arbitraries.of(DhcpMessage.BootOp.class), oneByte, Arbitraries.integers().between(0, 16), oneByte,
                Arbitraries.integers(), twoBytes, twoBytes, address.list().ofSize(4))
                .as((op, htype, hlen, hops, xid, secs, flags, addrs) -> DhcpMessage.builder()
                        .op(op).htype(htype).hlen(hlen).hops(hops).xid(xid).secs(secs).flags(flags)
                        .ciaddr(addrs.get(0)).yiaddr(addrs.get(1)).siaddr(addrs.get(2)).giaddr(addrs.get(3)));
        return Combinators.combine(header, Arbitraries.bytes().array(byte[].class).ofSize(16), sname, file, options())
                .as((b, chaddr, s, f, o) -> b.chaddr(chaddr).sname(s).file(f).options(o).build());
    }

    private static Arbitrary<DhcpOptions> options() {
        Arbitrary<Tuple.Tuple2<Integer, byte[]>> option = Combinators.combine(
                Arbitraries.integers().between(1, 254).filter(c -> c != OptionCode.OVERLOAD && c != OptionCode.RELAY_AGENT_INFORMATION),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).edgeCases(e -> e.add(new byte[0])))
                .as(Tuple::of);
        Arbitrary<byte[]> relayInfo = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        return Combinators.combine(option.list().ofMaxSize(16), relayInfo.optional())
                .as((list, relay) -> {
                    DhcpOptions.Builder b = DhcpOptions.builder();
                    for (var t : list) {
                        b.put(t.get1(), legalValue(t.get1(), t.get2()));
                    }
                    relay.ifPresent(r -> b.put(OptionCode.RELAY_AGENT_INFORMATION, r));
                    return b.build();
                });
    }

    /** Shapes a random value the way the decoder insists on (RFC 2132 §9.6 and minimum lengths). */
    private static byte[] legalValue(int code, byte[] value) {
        if (code == OptionCode.MESSAGE_TYPE) {
            return new byte[] {value.length == 0 ? 1 : value[0]};
        }
        OptionType type = OptionDefinitions.standard().byCode(code).map(OptionDefinition::type).orElse(null);
        if (value.length == 0 && type != null && !type.allowsEmpty()) {
            return new byte[] {0};
        }
        return value;
    }
}
