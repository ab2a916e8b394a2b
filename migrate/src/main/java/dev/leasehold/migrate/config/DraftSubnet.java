package dev.leasehold.migrate.config;

import dev.leasehold.config.Prefix;
import java.util.List;
import java.util.Optional;

/**
 * A subnet being built. The lists are the importer's own while it reads the source (a dhcpd
 * {@code host} declared after its subnet adds a reservation later); the writer only reads them.
 */
public record DraftSubnet(int id, Prefix prefix, Optional<DraftInterface> interfaceName, List<DraftRelay> relays,
                          List<DraftPool> pools, List<DraftOption> options, List<DraftReservation> reservations,
                          List<DraftTimer> timers, int line, String describe) implements DraftElement {
}
