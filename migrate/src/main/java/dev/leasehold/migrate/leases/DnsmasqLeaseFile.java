package dev.leasehold.migrate.leases;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.HexBytes;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * dnsmasq's lease file ({@code dnsmasq.leases}, written by its lease.c): one line per lease,
 * {@code EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID}, with {@code *} for an unknown host name or client
 * id, a MAC of another hardware type written {@code TYPE-MAC}, and an expiry of 0 for an
 * infinite lease. After a {@code duid} line come DHCPv6 leases, which are reported and skipped.
 * The file keeps no lease start.
 */
public final class DnsmasqLeaseFile {

    private DnsmasqLeaseFile() {
    }

    public static List<ImportedLease> parse(String text, String file, ImportReport report) throws ImportFailedException {
        List<ImportedLease> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("duid")) {
                continue;
            }
            if (f.length == 5 && f[2].contains(":")) {
                report.refused(n + 1, "lease " + f[2], "a DHCPv6 lease; Leasehold serves DHCPv4 only");
                continue;
            }
            if (f.length != 5) {
                throw ImportFailedException.at(file, n + 1, "expected 'EXPIRY MAC ADDRESS HOSTNAME CLIENT-ID', found "
                        + f.length + " fields");
            }
            try {
                long expiry = Long.parseLong(f[0]);
                Ipv4Address address = Ipv4Address.parse(f[2]);
                if (expiry == 0) {
                    report.refused(n + 1, "lease " + address, "an infinite lease; reserve the address for its client instead");
                    continue;
                }
                int dash = f[1].indexOf('-');
                HardwareAddress hw = dash > 0
                        ? HexBytes.hardwareAddress(f[1].substring(dash + 1), Integer.parseInt(f[1].substring(0, dash), 16))
                        : HexBytes.hardwareAddress(f[1], HardwareAddress.ETHERNET);
                Optional<ClientId> clientId = f[4].equals("*") ? Optional.empty() : Optional.of(new ClientId(HexBytes.parse(f[4])));
                out.add(new ImportedLease(address, Optional.of(hw), clientId, Optional.empty(),
                        Instant.ofEpochSecond(expiry), LeaseState.ACTIVE, f[3].equals("*") ? "" : f[3], n + 1));
            } catch (IllegalArgumentException e) {
                throw ImportFailedException.at(file, n + 1, e.getMessage());
            }
        }
        return out;
    }
}
