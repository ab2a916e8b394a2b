package dev.leasehold.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RelayAgentInformationTest {

    @Test
    void builtInformationEncodesSubOptionsInOrder() {
        RelayAgentInformation rai = RelayAgentInformation.builder()
                .circuitId(new byte[] {1, 2})
                .add(151, new byte[] {9})            // unknown sub-option, kept raw
                .linkSelection(Ipv4Address.parse("10.1.0.0"))
                .serverIdentifierOverride(Ipv4Address.parse("10.1.0.1"))
                .relaySourcePort()
                .build();
        byte[] bytes = rai.toBytes();
        assertThat(bytes).isEqualTo(HexFixtures.parse("01 02 0102  97 01 09  05 04 0a010000  0b 04 0a010001  13 02 0000"));
        assertThat(RelayAgentInformation.parse(bytes)).isEqualTo(rai);
    }

    @Test
    void unknownAndRepeatedSubOptionsSurviveParsing() {
        byte[] bytes = HexFixtures.parse("c8 01 ff  01 01 aa  01 01 bb");
        RelayAgentInformation rai = RelayAgentInformation.parse(bytes);
        assertThat(rai.subOptions()).extracting(RelayAgentInformation.SubOption::code).containsExactly(200, 1, 1);
        assertThat(rai.circuitId()).hasValueSatisfying(v -> assertThat(v).containsExactly(0xaa));
        assertThat(rai.toBytes()).isEqualTo(bytes);
    }

    @Test
    void linkSelectionOfWrongLengthReadsAsAbsent() {
        RelayAgentInformation rai = RelayAgentInformation.parse(HexFixtures.parse("05 03 0a0100"));
        assertThat(rai.linkSelection()).isEmpty();
        assertThat(rai.relaySourcePort()).isFalse();
    }

    @Test
    void truncatedSubOptionIsRefused() {
        assertThatThrownBy(() -> RelayAgentInformation.parse(HexFixtures.parse("01 05 0102")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past the end");
        assertThatThrownBy(() -> RelayAgentInformation.parse(new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no length byte");
        assertThatThrownBy(() -> RelayAgentInformation.parse(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageWithMalformedRelayInformationStillDecodesButOffersNoRecord() throws Exception {
        DhcpMessage m = DhcpCodec.decode(DhcpCodecTest.message("35 01 01 52 02 01 09 ff"));
        assertThat(m.options().getUnsafe(82)).containsExactly(1, 9);
        assertThat(m.relayAgentInformation()).isEmpty();
    }

    @Test
    void rfc4361ClientIdentifierRoundTrips() {
        byte[] option61 = HexFixtures.parse("ff 00000003 0003 0001 020000000001");
        DuidClientIdentifier id = DuidClientIdentifier.parse(option61).orElseThrow();
        assertThat(id.iaid()).isEqualTo(3);
        assertThat(id.duidType()).isEqualTo(3); // DUID-LL
        assertThat(id.toOptionBytes()).isEqualTo(option61);
        assertThat(DuidClientIdentifier.parse(HexFixtures.parse("01 020000000001"))).isEmpty();
        assertThat(DuidClientIdentifier.parse(HexFixtures.parse("ff 00000003 00"))).isEmpty();
    }
}
