package dev.leasehold.engine;

import dev.leasehold.config.AddressRange;
import dev.leasehold.config.OptionSetting;
import dev.leasehold.config.Reservation;
import dev.leasehold.config.SubnetConfig;
import dev.leasehold.wire.ClientId;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.InterfaceAddress;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configured subnet ready to serve: its pools with their free sets, its reservations indexed
 * by client, and its options already merged over the global ones (so the per-packet path merges
 * only class and reservation options on top).
 */
final class SubnetRuntime {

    private final SubnetConfig config;
    private final List<AddressPool> pools;
    private final Map<ClientId, Reservation> reservationsByClientId = new HashMap<>();
    private final Map<HardwareAddress, Reservation> reservationsByHardware = new HashMap<>();
    private final Map<Ipv4Address, Reservation> reservationsByAddress = new HashMap<>();
    private final Map<Integer, OptionSetting> options;

    SubnetRuntime(SubnetConfig config, List<OptionSetting> globalOptions) {
        this.config = config;
        List<AddressPool> built = new ArrayList<>();
        for (var pool : config.pools()) {
            built.add(new AddressPool(pool));
        }
        this.pools = List.copyOf(built);
        for (Reservation r : config.reservations()) {
            r.clientId().ifPresent(id -> reservationsByClientId.put(id, r));
            r.hardwareAddress().ifPresent(hw -> reservationsByHardware.put(hw, r));
            reservationsByAddress.put(r.address(), r);
            // A reserved address inside a pool is never handed to anyone else.
            poolOf(r.address()).ifPresent(p -> p.take(r.address()));
        }
        for (AddressRange excluded : config.exclusions()) {
            for (long a = excluded.first().toLong(); a <= excluded.last().toLong(); a++) {
                Ipv4Address address = Ipv4Address.ofLong(a);
                poolOf(address).ifPresent(p -> p.take(address));
            }
        }
        Map<Integer, OptionSetting> merged = new LinkedHashMap<>();
        globalOptions.forEach(o -> merged.put(o.code(), o));
        config.options().forEach(o -> merged.put(o.code(), o));
        this.options = Map.copyOf(merged);
    }

    SubnetConfig config() {
        return config;
    }

    /**
     * Option 54 of this subnet's replies (RFC 2132 §9.7, "the IP address of the selected
     * server"; RFC 2131 §4.3.1): the configured {@code server-id}; else, for a directly attached
     * client, our address inside this subnet on the arrival interface (an interface with several
     * addresses must not name one of another subnet, or the client's REQUEST names a server that
     * never offered); else the address the request reached us at.
     */
    Ipv4Address serverIdFor(RequestContext ctx, DhcpMessage request) {
        if (config.serverId().isPresent()) {
            return config.serverId().get();
        }
        if (request.giaddr().isAny()) {
            for (InterfaceAddress ours : ctx.interfaceNetworks()) {
                if (config.prefix().contains(ours.address())) {
                    return ours.address();
                }
            }
        }
        return ctx.serverAddress();
    }

    int id() {
        return config.id();
    }

    List<AddressPool> pools() {
        return pools;
    }

    Map<Integer, OptionSetting> options() {
        return options;
    }

    java.util.Optional<AddressPool> poolOf(Ipv4Address address) {
        for (AddressPool p : pools) {
            if (p.contains(address)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The client's reservation: by client id first, then by MAC (RFC 2131 §4.3.1 "static binding"). */
    Reservation reservationFor(ClientId clientId, HardwareAddress hardware) {
        Reservation r = reservationsByClientId.get(clientId);
        return r != null ? r : reservationsByHardware.get(hardware);
    }

    Reservation reservationAt(Ipv4Address address) {
        return reservationsByAddress.get(address);
    }

    boolean isExcluded(Ipv4Address address) {
        for (AddressRange r : config.exclusions()) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns {@code address} to its pool unless a reservation or an exclusion keeps it out.
     * Called when a lease ends, an offer lapses or a decline's probation is over.
     */
    void returnToPool(Ipv4Address address) {
        if (reservationsByAddress.containsKey(address) || isExcluded(address)) {
            return;
        }
        poolOf(address).ifPresent(p -> p.release(address));
    }
}
