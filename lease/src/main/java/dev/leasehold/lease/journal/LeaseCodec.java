package dev.leasehold.lease.journal;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The journal's binary record format, and the packed "identity" array the index keeps per lease.
 *
 * <p>Every record, big-endian:
 * <pre>
 *   int  payloadLength        bytes after this 8-byte header
 *   int  crc32c               CRC-32C of the payload
 *   byte kind                 1 = put, 2 = delete
 *   -- put --
 *   int  address              IPv4 address bits
 *   int  subnetId
 *   byte state                1 active, 2 released, 3 expired, 4 declined (stable codes, not ordinals)
 *   long startSecond, int startNano      Lease.start as Instant parts
 *   long expiresSecond, int expiresNano  Lease.expiresAt as Instant parts
 *   identity (the rest of the payload):
 *     u16 clientIdLength, clientId bytes
 *     u8 htype, u8 hardwareLength, hardware bytes
 *     u16 hostnameLength, hostname UTF-8 bytes
 *   -- delete --
 *   int  address
 * </pre>
 * The identity part is kept verbatim in the index, so replay copies one slice per record and
 * builds no objects.
 */
final class LeaseCodec {

    static final int RECORD_HEADER_BYTES = 8;
    static final byte KIND_PUT = 1;
    static final byte KIND_DELETE = 2;
    /** kind, address, subnet, state, start (12), expiresAt (12). */
    static final int PUT_FIXED_BYTES = 1 + 4 + 4 + 1 + 12 + 12;
    static final int DELETE_PAYLOAD_BYTES = 1 + 4;
    static final int MAX_FIELD_BYTES = 0xFFFF;
    /** The largest identity: client id and host name at their u16 limits, a 16-byte chaddr. */
    static final int MAX_IDENTITY_BYTES = 2 + MAX_FIELD_BYTES + 2 + 16 + 2 + MAX_FIELD_BYTES;
    static final int MAX_PAYLOAD_BYTES = PUT_FIXED_BYTES + MAX_IDENTITY_BYTES;
    static final int MIN_IDENTITY_BYTES = 2 + 1 + 2 + 2;
    /** The state codes the index tests directly ({@link #stateCode}). */
    static final byte ACTIVE = 1;
    static final byte DECLINED = 4;

    private LeaseCodec() {}

    static byte stateCode(LeaseState state) {
        return switch (state) {
            case ACTIVE -> 1;
            case RELEASED -> 2;
            case EXPIRED -> 3;
            case DECLINED -> 4;
        };
    }

    /** The state of a code, or null when the code is not one. */
    static LeaseState stateOf(byte code) {
        return switch (code) {
            case 1 -> LeaseState.ACTIVE;
            case 2 -> LeaseState.RELEASED;
            case 3 -> LeaseState.EXPIRED;
            case 4 -> LeaseState.DECLINED;
            default -> null;
        };
    }

    /**
     * The row of a lease.
     *
     * @throws IllegalArgumentException when a field is too long for the format (a client id or
     *     host name over 65535 bytes)
     */
    static LeaseRow row(Lease lease) {
        byte[] clientId = lease.clientId().bytes();
        byte[] hardware = lease.hardwareAddress().bytes();
        byte[] hostname = lease.hostname().getBytes(StandardCharsets.UTF_8);
        if (clientId.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("client id longer than " + MAX_FIELD_BYTES + " bytes");
        }
        if (hostname.length > MAX_FIELD_BYTES) {
            throw new IllegalArgumentException("host name longer than " + MAX_FIELD_BYTES + " bytes");
        }
        byte[] identity = new byte[2 + clientId.length + 2 + hardware.length + 2 + hostname.length];
        int at = putU16(identity, 0, clientId.length);
        System.arraycopy(clientId, 0, identity, at, clientId.length);
        at += clientId.length;
        identity[at++] = (byte) lease.hardwareAddress().htype();
        identity[at++] = (byte) hardware.length;
        System.arraycopy(hardware, 0, identity, at, hardware.length);
        at += hardware.length;
        at = putU16(identity, at, hostname.length);
        System.arraycopy(hostname, 0, identity, at, hostname.length);
        return new LeaseRow(
                lease.address().bits(),
                lease.subnetId(),
                stateCode(lease.state()),
                lease.start().getEpochSecond(),
                lease.start().getNano(),
                lease.expiresAt().getEpochSecond(),
                lease.expiresAt().getNano(),
                identity);
    }

    static Lease lease(
            int address, int subnetId, byte state, long startSecond, int startNano,
            long expiresSecond, int expiresNano, byte[] identity) {
        int clientLength = clientIdLength(identity);
        byte[] clientId = Arrays.copyOfRange(identity, 2, 2 + clientLength);
        int hw = hardwareOffset(identity);
        int hwLength = identity[hw + 1] & 0xFF;
        byte[] hardware = Arrays.copyOfRange(identity, hw + 2, hw + 2 + hwLength);
        int host = hw + 2 + hwLength;
        String hostname = new String(identity, host + 2, u16(identity, host), StandardCharsets.UTF_8);
        return new Lease(
                new Ipv4Address(address),
                new ClientId(clientId),
                new HardwareAddress(identity[hw] & 0xFF, hardware),
                subnetId,
                stateOf(state),
                Instant.ofEpochSecond(startSecond, startNano),
                Instant.ofEpochSecond(expiresSecond, expiresNano),
                hostname);
    }

    static int clientIdLength(byte[] identity) {
        return u16(identity, 0);
    }

    /** Where the htype byte is; the hardware length and bytes follow. */
    static int hardwareOffset(byte[] identity) {
        return 2 + clientIdLength(identity);
    }

    /** Whether an identity slice read from disk has the layout above, exactly filling its length. */
    static boolean isWellFormed(byte[] identity) {
        if (identity.length < MIN_IDENTITY_BYTES) {
            return false;
        }
        int clientLength = u16(identity, 0);
        if (clientLength == 0) {
            return false;
        }
        int hw = 2 + clientLength;
        if (hw + 2 > identity.length) {
            return false;
        }
        int hwLength = identity[hw + 1] & 0xFF;
        if (hwLength > 16) {
            return false;
        }
        int host = hw + 2 + hwLength;
        if (host + 2 > identity.length) {
            return false;
        }
        return host + 2 + u16(identity, host) == identity.length;
    }

    static int putRecordBytes(int identityLength) {
        return RECORD_HEADER_BYTES + PUT_FIXED_BYTES + identityLength;
    }

    static int deleteRecordBytes() {
        return RECORD_HEADER_BYTES + DELETE_PAYLOAD_BYTES;
    }

    /** Appends a put record at the buffer's position; the caller makes sure it fits. */
    static void writePut(
            ByteBuffer out, int address, int subnetId, byte state, long startSecond, int startNano,
            long expiresSecond, int expiresNano, byte[] identity) {
        int recordStart = out.position();
        out.putInt(PUT_FIXED_BYTES + identity.length);
        out.putInt(0);
        out.put(KIND_PUT)
                .putInt(address)
                .putInt(subnetId)
                .put(state)
                .putLong(startSecond)
                .putInt(startNano)
                .putLong(expiresSecond)
                .putInt(expiresNano)
                .put(identity);
        sealCrc(out, recordStart);
    }

    static void writePut(ByteBuffer out, LeaseRow row) {
        writePut(out, row.address(), row.subnetId(), row.stateCode(), row.startSecond(), row.startNano(),
                row.expiresSecond(), row.expiresNano(), row.identity());
    }

    static void writeDelete(ByteBuffer out, int address) {
        int recordStart = out.position();
        out.putInt(DELETE_PAYLOAD_BYTES);
        out.putInt(0);
        out.put(KIND_DELETE).putInt(address);
        sealCrc(out, recordStart);
    }

    static byte[] putRecord(LeaseRow row) {
        ByteBuffer out = ByteBuffer.allocate(putRecordBytes(row.identity().length));
        writePut(out, row);
        return out.array();
    }

    static byte[] deleteRecord(int address) {
        ByteBuffer out = ByteBuffer.allocate(deleteRecordBytes());
        writeDelete(out, address);
        return out.array();
    }

    private static void sealCrc(ByteBuffer out, int recordStart) {
        int end = out.position();
        CRC32C crc = new CRC32C();
        crc.update(out.slice(recordStart + RECORD_HEADER_BYTES, end - recordStart - RECORD_HEADER_BYTES));
        out.putInt(recordStart + 4, (int) crc.getValue());
    }

    static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private static int putU16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
        return at + 2;
    }
}
