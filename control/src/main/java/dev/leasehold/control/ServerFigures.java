package dev.leasehold.control;

import dev.leasehold.engine.DhcpEngine;
import dev.leasehold.lease.LeaseState;
import dev.leasehold.lease.LeaseStore;
import dev.leasehold.server.LeaseholdServer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-subnet figures the engine does not count itself, taken from one walk of the store:
 * addresses held by an active lease and by a decline on probation. One walk per scrape or
 * status call; docs/operations.md gives its cost.
 */
record ServerFigures(List<SubnetFigures> subnets) {

    /** One subnet: pool size, free count and outstanding offers from the engine, held and declined from the store. */
    record SubnetFigures(int id, String prefix, long total, long free, long assigned, long declined, long offered) {}

    static ServerFigures of(LeaseholdServer server, Instant now) {
        DhcpEngine engine = server.engine();
        LeaseStore store = server.store();
        Map<Integer, long[]> held = new HashMap<>();
        store.forEach(l -> {
            if (l.holdsAddressAt(now)) {
                long[] c = held.computeIfAbsent(l.subnetId(), k -> new long[2]);
                c[l.state() == LeaseState.DECLINED ? 1 : 0]++;
            }
        });
        Map<Integer, Integer> offered = engine.outstandingOffersBySubnet();
        List<SubnetFigures> subnets = engine.usage().stream().map(u -> {
            long[] c = held.getOrDefault(u.subnetId(), new long[2]);
            return new SubnetFigures(u.subnetId(), u.prefix(), u.totalAddresses(), u.freeAddresses(), c[0], c[1],
                    offered.getOrDefault(u.subnetId(), 0));
        }).toList();
        return new ServerFigures(subnets);
    }
}
