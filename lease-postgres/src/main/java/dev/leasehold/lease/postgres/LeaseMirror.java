package dev.leasehold.lease.postgres;

import dev.leasehold.lease.Lease;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This server's copy of table {@code lease}, for the reads on the packet path ({@code get},
 * {@code findByClient}, {@code findByHardwareAddress}), which must not wait for a round trip.
 * It is never the judge of a conflict: the database is. It holds committed rows only, and lags
 * the database by the change feed's delay for other servers' writes.
 *
 * <p>Threads: read by any thread without a lock ({@link #get} on a concurrent map; the index
 * look-ups re-check each address against it). Changed by the store's writer thread and its
 * change-feed thread, under this object's monitor.
 */
final class LeaseMirror {

    private final ConcurrentHashMap<Ipv4Address, Lease> byAddress = new ConcurrentHashMap<>();
    private final Map<ClientId, Set<Ipv4Address>> byClient = new HashMap<>();
    private final Map<HardwareAddress, Set<Ipv4Address>> byHardware = new HashMap<>();

    Optional<Lease> get(Ipv4Address address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    long size() {
        return byAddress.size();
    }

    void forEach(Consumer<Lease> action) {
        byAddress.values().forEach(action);
    }

    List<Lease> findByClient(ClientId clientId) {
        Set<Ipv4Address> addresses;
        synchronized (this) {
            addresses = Set.copyOf(byClient.getOrDefault(clientId, Set.of()));
        }
        List<Lease> out = new ArrayList<>(addresses.size());
        for (Ipv4Address address : addresses) {
            Lease lease = byAddress.get(address);
            if (lease != null && lease.clientId().equals(clientId)) {
                out.add(lease);
            }
        }
        return out;
    }

    List<Lease> findByHardwareAddress(HardwareAddress hardwareAddress) {
        Set<Ipv4Address> addresses;
        synchronized (this) {
            addresses = Set.copyOf(byHardware.getOrDefault(hardwareAddress, Set.of()));
        }
        List<Lease> out = new ArrayList<>(addresses.size());
        for (Ipv4Address address : addresses) {
            Lease lease = byAddress.get(address);
            if (lease != null && lease.hardwareAddress().equals(hardwareAddress)) {
                out.add(lease);
            }
        }
        return out;
    }

    /** The committed row of {@code address} is now {@code lease}. */
    synchronized void put(Lease lease) {
        Lease old = byAddress.put(lease.address(), lease);
        if (old != null) {
            unindex(old);
        }
        byClient.computeIfAbsent(lease.clientId(), k -> new LinkedHashSet<>()).add(lease.address());
        byHardware.computeIfAbsent(lease.hardwareAddress(), k -> new LinkedHashSet<>()).add(lease.address());
    }

    /** {@code address} has no row now. */
    synchronized void remove(Ipv4Address address) {
        Lease old = byAddress.remove(address);
        if (old != null) {
            unindex(old);
        }
    }

    /** The committed row of {@code address}, or none: {@code lease} may be null. */
    synchronized void set(Ipv4Address address, Lease lease) {
        if (lease == null) {
            remove(address);
        } else {
            put(lease);
        }
    }

    /**
     * Replaces everything with {@code rows} (a fresh read of the whole table) and answers the
     * addresses whose record changed, for the store's external-change listeners.
     */
    synchronized Set<Ipv4Address> replaceAll(Map<Ipv4Address, Lease> rows) {
        Set<Ipv4Address> changed = new HashSet<>();
        for (Ipv4Address address : List.copyOf(byAddress.keySet())) {
            if (!rows.containsKey(address)) {
                remove(address);
                changed.add(address);
            }
        }
        rows.forEach((address, lease) -> {
            if (!lease.equals(byAddress.get(address))) {
                put(lease);
                changed.add(address);
            }
        });
        return changed;
    }

    private void unindex(Lease lease) {
        Set<Ipv4Address> ofClient = byClient.get(lease.clientId());
        if (ofClient != null && ofClient.remove(lease.address()) && ofClient.isEmpty()) {
            byClient.remove(lease.clientId());
        }
        Set<Ipv4Address> ofHardware = byHardware.get(lease.hardwareAddress());
        if (ofHardware != null && ofHardware.remove(lease.address()) && ofHardware.isEmpty()) {
            byHardware.remove(lease.hardwareAddress());
        }
    }
}
