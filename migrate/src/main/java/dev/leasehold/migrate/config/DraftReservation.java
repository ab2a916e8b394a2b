package dev.leasehold.migrate.config;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import java.util.Optional;

/** A fixed address for one client, known by exactly one of MAC and client id. */
public record DraftReservation(Optional<HardwareAddress> hardwareAddress, Optional<ClientId> clientId,
                               Ipv4Address address, String hostname, List<DraftOption> options, int line,
                               String describe) implements DraftElement {
    public DraftReservation {
        if (hardwareAddress.isPresent() == clientId.isPresent()) {
            throw new IllegalArgumentException("a reservation names exactly one of hw-address and client-id");
        }
        options = List.copyOf(options);
    }
}
