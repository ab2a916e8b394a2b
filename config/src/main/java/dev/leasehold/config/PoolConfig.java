package dev.leasehold.config;

import java.util.List;

/**
 * A dynamic range inside a subnet.
 *
 * @param range the addresses handed out
 * @param clientClasses when non-empty, only clients in one of these classes may use the pool
 */
public record PoolConfig(AddressRange range, List<String> clientClasses) {
    public PoolConfig {
        clientClasses = List.copyOf(clientClasses);
    }
}
