package dev.leasehold.lease.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Pins the journal's on-disk record format, which files written by older versions rely on. */
class LeaseCodecTest {

    private static final Lease LEASE = new Lease(
            Ipv4Address.parse("192.168.1.20"),
            new ClientId(new byte[] {1, (byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, (byte) 0xEE, (byte) 0xFF}),
            HardwareAddress.parseEthernet("aa:bb:cc:dd:ee:ff"),
            3,
            LeaseState.DECLINED,
            Instant.ofEpochSecond(1_700_000_000L, 5),
            Instant.ofEpochSecond(1_700_003_600L, 0),
            "pc");

    private static final byte[] PUT_RECORD = HexFormat.of().parseHex(String.join("",
            "00000037",                 // payload length: 34 fixed + 21 identity = 55
            "00000000",                 // CRC-32C of the payload: compared with java.util.zip.CRC32C below
            "01",                       // kind: put
            "c0a80114",                 // address 192.168.1.20
            "00000003",                 // subnet id 3
            "04",                       // state: declined
            "000000006553f100",         // start: epoch second 1,700,000,000
            "00000005",                 //        nano 5
            "000000006553ff10",         // expiresAt: epoch second 1,700,003,600
            "00000000",                 //            nano 0
            "0007", "01aabbccddeeff",   // client id: length 7, type 1 + MAC
            "01", "06", "aabbccddeeff", // htype 1 (Ethernet), length 6, chaddr
            "0002", "7063"              // host name: length 2, "pc"
    ));

    @Test
    void aPutRecordHasTheDocumentedLayout() {
        byte[] record = LeaseCodec.putRecord(LeaseCodec.row(LEASE));
        byte[] payload = Arrays.copyOfRange(record, 8, record.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);

        assertThat(record).hasSize(PUT_RECORD.length);
        assertThat(Arrays.copyOfRange(record, 0, 4)).isEqualTo(Arrays.copyOfRange(PUT_RECORD, 0, 4));
        assertThat(HexFormat.of().formatHex(record, 4, 8)).isEqualTo("%08x".formatted(crc.getValue()));
        assertThat(payload).isEqualTo(Arrays.copyOfRange(PUT_RECORD, 8, PUT_RECORD.length));
    }

    @Test
    void aDeleteRecordIsKindAndAddress() {
        byte[] record = LeaseCodec.deleteRecord(Ipv4Address.parse("10.0.0.1").bits());
        assertThat(HexFormat.of().formatHex(record, 0, 4)).isEqualTo("00000005"); // payload length 5
        assertThat(HexFormat.of().formatHex(record, 8, 13)).isEqualTo("02" + "0a000001"); // kind delete, 10.0.0.1
    }

    @Test
    void aRowDecodesBackToTheSameLease() {
        LeaseRow row = LeaseCodec.row(LEASE);
        assertThat(LeaseCodec.isWellFormed(row.identity())).isTrue();
        assertThat(LeaseCodec.lease(row.address(), row.subnetId(), row.stateCode(), row.startSecond(), row.startNano(),
                row.expiresSecond(), row.expiresNano(), row.identity())).isEqualTo(LEASE);
    }

    @Test
    void identitiesThatDoNotFillTheirLengthExactlyAreMalformed() {
        byte[] identity = LeaseCodec.row(LEASE).identity();
        assertThat(LeaseCodec.isWellFormed(Arrays.copyOf(identity, identity.length - 1))).isFalse();
        assertThat(LeaseCodec.isWellFormed(Arrays.copyOf(identity, identity.length + 1))).isFalse();
        byte[] emptyClient = identity.clone();
        emptyClient[0] = 0;
        emptyClient[1] = 0;
        assertThat(LeaseCodec.isWellFormed(emptyClient)).isFalse();
    }
}
