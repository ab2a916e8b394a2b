package dev.leasehold.lease.postgres;

import dev.leasehold.lease.Lease;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * The mapping between a {@link Lease} and a row of table {@code lease}, and the column list every
 * read selects. Times are whole nanoseconds since 1970 ({@code bigint}), so every instant a lease
 * can carry survives exactly; that covers 1677 to 2262.
 */
final class LeaseRows {

    /** The columns of a read, in the order {@link #read} takes them. */
    static final String COLUMNS =
            "host(address), client_id, hw_type, hw_address, subnet_id, state, starts_ns, expires_ns, hostname";

    private LeaseRows() {
    }

    static Lease read(ResultSet row) throws SQLException {
        return new Lease(Ipv4Address.parse(row.getString(1)), new ClientId(row.getBytes(2)),
                new HardwareAddress(row.getInt(3), row.getBytes(4)), row.getInt(5), state(row.getString(6)),
                instant(row.getLong(7)), instant(row.getLong(8)), row.getString(9));
    }

    static String state(LeaseState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    static LeaseState state(String column) {
        return LeaseState.valueOf(column.toUpperCase(Locale.ROOT));
    }

    /** Nanoseconds since 1970; {@link ArithmeticException} beyond the years 1677-2262. */
    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
