package dev.leasehold.migrate.leases;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.migrate.HexBytes;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kea's memfile lease file for DHCPv4 ({@code kea-leases4.csv}; Kea ARM "Memfile - Basic
 * Storage for Leases"): a header naming the columns, then one row per change of a lease, the
 * last row of an address winning. A row with {@code valid_lifetime} 0 is Kea's record of a
 * deleted (released) lease. Columns are found by their header names, so files of Kea 1.x to 2.x
 * (with or without {@code user_context}, {@code pool_id}) read alike.
 */
public final class KeaLeaseFile {

    private static final List<String> REQUIRED = List.of("address", "hwaddr", "client_id", "valid_lifetime",
            "expire", "hostname", "state");

    private KeaLeaseFile() {
    }

    /**
     * @throws ImportFailedException naming the line of the first malformed row; nothing is returned then
     */
    public static List<ImportedLease> parse(String text, String file) throws ImportFailedException {
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].strip().startsWith("address,")) {
            throw ImportFailedException.at(file, 1, "not a Kea DHCPv4 lease file: the first line must be the "
                    + "header 'address,hwaddr,client_id,…'");
        }
        List<String> header = List.of(lines[0].strip().split(","));
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i), i);
        }
        for (String required : REQUIRED) {
            if (!column.containsKey(required)) {
                throw ImportFailedException.at(file, 1, "the header has no column '" + required + "'");
            }
        }
        Map<Ipv4Address, ImportedLease> byAddress = new LinkedHashMap<>();
        for (int n = 1; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != header.size()) {
                throw ImportFailedException.at(file, n + 1, f.length + " fields where the header names "
                        + header.size() + " (a comma inside a value must be written &#x2c)");
            }
            try {
                Ipv4Address address = Ipv4Address.parse(f[column.get("address")]);
                long valid = Long.parseLong(f[column.get("valid_lifetime")]);
                long expire = Long.parseLong(f[column.get("expire")]);
                if (valid == 0) {
                    byAddress.remove(address);
                    continue;
                }
                String hw = f[column.get("hwaddr")];
                String id = f[column.get("client_id")];
                int stateCode = Integer.parseInt(f[column.get("state")]);
                LeaseState state = switch (stateCode) {
                    case 0 -> LeaseState.ACTIVE;
                    case 1 -> LeaseState.DECLINED;
                    case 2 -> LeaseState.EXPIRED;
                    case 3 -> LeaseState.RELEASED;
                    default -> throw new IllegalArgumentException("unknown lease state " + stateCode
                            + " (0 default, 1 declined, 2 expired-reclaimed, 3 released)");
                };
                Optional<HardwareAddress> hardware = hw.isEmpty() ? Optional.empty()
                        : Optional.of(HexBytes.hardwareAddress(hw, HardwareAddress.ETHERNET));
                Optional<ClientId> clientId = id.isEmpty() ? Optional.empty() : Optional.of(new ClientId(HexBytes.parse(id)));
                Instant expires = Instant.ofEpochSecond(expire);
                // Kea writes expire = cltt + valid_lifetime (cltt is the last client transmission).
                Instant start = expires.minusSeconds(valid);
                String hostname = f[column.get("hostname")].replace("&#x2c", ",");
                byAddress.remove(address); // a later row moves to the end: file order of last change
                byAddress.put(address, new ImportedLease(address, hardware, clientId, Optional.of(start), expires,
                        state, hostname, n + 1));
            } catch (IllegalArgumentException e) {
                throw ImportFailedException.at(file, n + 1, e.getMessage());
            }
        }
        return new ArrayList<>(byAddress.values());
    }
}
