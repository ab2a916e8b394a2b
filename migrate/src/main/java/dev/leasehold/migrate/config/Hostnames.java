package dev.leasehold.migrate.config;

import dev.leasehold.migrate.ImportReport;
import java.util.regex.Pattern;

/**
 * Host names of reservations: Leasehold takes RFC 1123 names only (docs/configuration.md,
 * Reservations), where dhcpd and dnsmasq take more (an underscore, say). Such a name is left
 * out of the reservation, with a report entry, rather than losing the whole reservation.
 */
final class Hostnames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private Hostnames() {
    }

    static String keep(String hostname, int line, String what, ImportReport report) {
        if (hostname.isEmpty()) {
            return hostname;
        }
        for (String label : hostname.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                report.notMapped(line, what + " hostname \"" + hostname + "\"",
                        "not an RFC 1123 host name; the reservation is kept without it");
                return "";
            }
        }
        return hostname;
    }
}
