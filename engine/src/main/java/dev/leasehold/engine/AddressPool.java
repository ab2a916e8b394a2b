package dev.leasehold.engine;

import dev.leasehold.config.AllocationStrategy;
import dev.leasehold.config.PoolConfig;
import dev.leasehold.wire.Ipv4Address;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One dynamic range and which of its addresses may be handed out now. An address is free when
 * no lease, offer, reservation, exclusion or decline holds it. Guarded by the engine's lock.
 */
final class AddressPool {

    private final PoolConfig config;
    private final long first;
    private final FreeSet free;
    /** Where the iterative strategy looks next: round-robin, so a just-freed address rests. */
    private long cursor;

    AddressPool(PoolConfig config) {
        this.config = config;
        this.first = config.range().first().toLong();
        this.free = new FreeSet(config.range().size());
    }

    PoolConfig config() {
        return config;
    }

    boolean contains(Ipv4Address address) {
        return config.range().contains(address);
    }

    /** Whether a client in {@code classes} may draw from this pool. */
    boolean admits(List<String> classes) {
        if (config.clientClasses().isEmpty()) {
            return true;
        }
        for (String c : classes) {
            if (config.clientClasses().contains(c)) {
                return true;
            }
        }
        return false;
    }

    boolean isFree(Ipv4Address address) {
        return free.isFree(address.toLong() - first);
    }

    /** Marks the address used; answers whether it was free. */
    boolean take(Ipv4Address address) {
        return free.take(address.toLong() - first);
    }

    /** Marks the address free again. */
    void release(Ipv4Address address) {
        free.release(address.toLong() - first);
    }

    /** Takes a free address by {@code strategy}, or answers null when the pool is full. */
    Ipv4Address allocate(AllocationStrategy strategy, RandomGenerator random) {
        long start = strategy == AllocationStrategy.RANDOM ? random.nextLong(free.size()) : cursor;
        long slot = free.nextFree(start);
        if (slot < 0) {
            return null;
        }
        free.take(slot);
        cursor = slot + 1 >= free.size() ? 0 : slot + 1;
        return Ipv4Address.ofLong(first + slot);
    }

    long size() {
        return free.size();
    }

    long freeCount() {
        return free.freeCount();
    }
}
