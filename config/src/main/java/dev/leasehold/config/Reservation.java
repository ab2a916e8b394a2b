package dev.leasehold.config;

import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import java.util.Optional;

/**
 * A fixed address for one client, matched by MAC or by client id (exactly one of the two).
 * The address lies in its subnet but may be outside every pool.
 *
 * @param hostname sent as option 12 when non-empty
 * @param options options for this client only, overriding class, subnet and global values
 */
public record Reservation(Optional<HardwareAddress> hardwareAddress, Optional<ClientId> clientId,
                          Ipv4Address address, String hostname, List<OptionSetting> options) {
    public Reservation {
        if (hardwareAddress.isPresent() == clientId.isPresent()) {
            throw new IllegalArgumentException("a reservation names exactly one of hw-address and client-id");
        }
        options = List.copyOf(options);
    }
}
