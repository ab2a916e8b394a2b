package dev.leasehold.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lease file of export and import: exact round trips, and a line that is not a lease named for its field. */
class LeaseFileTest {

    private static final Lease LEASE = new Lease(Ipv4Address.parse("10.0.0.5"),
            new ClientId(new byte[] {(byte) 0xFF, 0, 1, 2}), new HardwareAddress(6, new byte[16]), -3,
            LeaseState.DECLINED, Instant.ofEpochSecond(-5, 1), Instant.ofEpochSecond(4_000_000_000L, 999_999_999),
            "ωμέγα \"quoted\"");

    @Test
    void everyFieldSurvivesALine() {
        assertThat(LeaseFile.parse(LeaseFile.line(LEASE))).isEqualTo(LEASE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                 | {\"address\": | not JSON",
        "an array                 | [1, 2]      | not a JSON object",
        "no address               | {}          | address: missing or not a string"})
    void aLineThatIsNotALeaseIsRefused(String what, String line, String message) {
        assertThatThrownBy(() -> LeaseFile.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad address   | \"10.0.0.5\"                    | \"10.0.0.500\"         | address",
        "bad hex       | \"ff000102\"                    | \"ff0x\"               | client-id: not hex digits",
        "bad time      | \"1969-12-31T23:59:55.000000001Z\" | \"yesterday\"       | start: not an ISO-8601 instant",
        "bad state     | \"declined\"                    | \"leased\"             | state: 'leased' is not",
        "number as text | \"subnet-id\":-3             | \"subnet-id\":\"-3\"   | subnet-id: missing or not a whole number"})
    void aFieldThatIsWrongIsNamed(String what, String good, String bad, String message) {
        String line = LeaseFile.line(LEASE);
        assertThat(line).contains(good);
        assertThatThrownBy(() -> LeaseFile.parse(line.replace(good, bad))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
