package dev.leasehold.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.client.ClientMessages;
import dev.leasehold.wire.DhcpCodec;
import dev.leasehold.wire.HardwareAddress;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The oracles themselves: they pass what is right and catch what is wrong, or a fuzz run proves nothing. */
class PipelineOracleTest {

    private static byte[] discover(String mac) {
        return DhcpCodec.encode(new ClientMessages(HardwareAddress.parseEthernet(mac), null, null,
                ClientMessages.RelayFields.NONE).discover(7, null, false));
    }

    @Test
    void aDiscoverIsOfferedAndTruncatedBytesAreCountedMalformed() {
        try (PipelineOracle oracle = new PipelineOracle(1)) {
            assertThat(oracle.check(discover("02:00:00:00:01:01"), new SplittableRandom(0))).isTrue();
            assertThat(oracle.check(Arrays.copyOf(discover("02:00:00:00:01:02"), 239), new SplittableRandom(0))).isFalse();

            assertThat(oracle.outcomes()).containsEntry("OFFER", 1L).containsEntry("malformed", 1L);
        }
    }

    @Test
    void theDecoderOracleRefusesNothingWellFormedAndAcceptsNothingTruncated() {
        assertThat(DecoderOracle.check(discover("02:00:00:00:01:01"))).isPresent();
        assertThat(DecoderOracle.check(new byte[235])).isEmpty();
    }

    @Test
    void aFailureNamesTheRuleAndTheBytes() {
        assertThatThrownBy(() -> {
            throw new FuzzFailure("a reply of 600 bytes, the request allows 548", new byte[] {1, 2, (byte) 0xFF});
        }).hasMessageContaining("548").hasMessageContaining("0102ff");
    }
}
