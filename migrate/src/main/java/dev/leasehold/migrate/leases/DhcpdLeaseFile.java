package dev.leasehold.migrate.leases;

import dev.leasehold.lease.LeaseState;
import dev.leasehold.migrate.ImportFailedException;
import dev.leasehold.migrate.HexBytes;
import dev.leasehold.migrate.ImportReport;
import dev.leasehold.migrate.config.DhcpdSyntax;
import dev.leasehold.migrate.config.DhcpdSyntax.Statement;
import dev.leasehold.migrate.config.DhcpdSyntax.Token;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ISC dhcpd's lease file ({@code dhcpd.leases}, dhcpd.leases(5)): {@code lease ADDRESS { … }}
 * declarations appended as leases change, the last one of an address winning. Times are UTC
 * ({@code starts 3 2026/12/02 17:10:15;}) or, with {@code db-time-format local}, seconds since
 * the epoch ({@code starts epoch 1796231415;}). The client is known by {@code uid} (option 61,
 * as a quoted string with octal escapes or as colon hex) and {@code hardware ethernet}.
 */
public final class DhcpdLeaseFile {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private DhcpdLeaseFile() {
    }

    public static List<ImportedLease> parse(String text, String file, ImportReport report) throws ImportFailedException {
        Map<Ipv4Address, ImportedLease> byAddress = new LinkedHashMap<>();
        for (Statement s : DhcpdSyntax.parse(text, file)) {
            if (!s.keyword().equals("lease")) {
                if (s.keyword().equals("host") || s.keyword().equals("subclass")) {
                    report.refused(s.line(), s.describe(), "dynamic host and class declarations (made through OMAPI) "
                            + "are not leases; write them into the configuration before importing it");
                }
                continue;
            }
            if (s.block().isEmpty() || s.words().size() != 2) {
                throw ImportFailedException.at(file, s.line(), "expected 'lease ADDRESS { … }'");
            }
            Ipv4Address address;
            try {
                address = Ipv4Address.parse(s.words().get(1).text());
            } catch (IllegalArgumentException e) {
                throw ImportFailedException.at(file, s.line(), e.getMessage());
            }
            lease(address, s, file, report).ifPresentOrElse(l -> {
                byAddress.remove(address);
                byAddress.put(address, l);
            }, () -> byAddress.remove(address));
        }
        return new ArrayList<>(byAddress.values());
    }

    private static Optional<ImportedLease> lease(Ipv4Address address, Statement s, String file, ImportReport report)
            throws ImportFailedException {
        Optional<Instant> starts = Optional.empty();
        Optional<Instant> ends = Optional.empty();
        Optional<Instant> cltt = Optional.empty();
        boolean never = false;
        String binding = "";
        Optional<HardwareAddress> hw = Optional.empty();
        Optional<ClientId> uid = Optional.empty();
        String hostname = "";
        for (Statement inner : s.block().orElseThrow()) {
            List<Token> w = inner.words();
            try {
                switch (inner.keyword()) {
                    case "starts" -> starts = Optional.of(time(w));
                    case "cltt" -> cltt = Optional.of(time(w));
                    case "ends" -> {
                        if (w.size() == 2 && w.get(1).is("never")) {
                            never = true;
                        } else {
                            ends = Optional.of(time(w));
                        }
                    }
                    case "binding" -> binding = w.getLast().text();
                    case "hardware" -> {
                        int htype = switch (w.get(1).text()) {
                            case "ethernet" -> HardwareAddress.ETHERNET;
                            case "token-ring" -> 6;
                            case "fddi" -> 8;
                            case "infiniband" -> 32;
                            default -> throw new IllegalArgumentException("unknown hardware type " + w.get(1).text());
                        };
                        hw = Optional.of(HexBytes.hardwareAddress(w.get(2).text(), htype));
                    }
                    case "uid" -> uid = Optional.of(new ClientId(w.get(1).quoted()
                            ? w.get(1).text().getBytes(StandardCharsets.ISO_8859_1) : HexBytes.parse(w.get(1).text())));
                    case "client-hostname" -> hostname = w.get(1).text();
                    default -> { }
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeParseException e) {
                throw ImportFailedException.at(file, inner.line(), "malformed '" + inner.describe() + "' in lease "
                        + address + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }
        LeaseState state = switch (binding) {
            case "active", "bootp" -> LeaseState.ACTIVE;
            case "free", "expired" -> LeaseState.EXPIRED;
            case "released" -> LeaseState.RELEASED;
            case "abandoned" -> LeaseState.DECLINED;
            case "backup" -> null;
            default -> throw ImportFailedException.at(file, s.line(), "lease " + address + " has no known binding state ('"
                    + binding + "')");
        };
        if (state == null) {
            return Optional.empty(); // kept for the failover peer; not a client's lease
        }
        if (hw.isEmpty() && uid.isEmpty()) {
            return Optional.empty(); // a free address dhcpd never gave to anyone
        }
        if (never) {
            report.refused(s.line(), "lease " + address, "an infinite lease (ends never); reserve the address for its client instead");
            return Optional.empty();
        }
        if (ends.isEmpty()) {
            throw ImportFailedException.at(file, s.line(), "lease " + address + " has no 'ends'");
        }
        Instant end = ends.get();
        Optional<Instant> start = (cltt.isPresent() ? cltt : starts).filter(t -> !t.isAfter(end));
        return Optional.of(new ImportedLease(address, hw, uid, start, end, state, hostname, s.line()));
    }

    /** {@code starts 3 2026/12/02 17:10:15} (weekday, UTC date and time) or {@code starts epoch 1796231415}. */
    private static Instant time(List<Token> w) {
        if (w.size() >= 3 && w.get(1).is("epoch")) {
            return Instant.ofEpochSecond(Long.parseLong(w.get(2).text()));
        }
        if (w.size() != 4) {
            throw new IllegalArgumentException("expected 'WEEKDAY YYYY/MM/DD HH:MM:SS' or 'epoch SECONDS'");
        }
        return LocalDateTime.parse(w.get(2).text() + " " + w.get(3).text(), UTC).toInstant(ZoneOffset.UTC);
    }
}
