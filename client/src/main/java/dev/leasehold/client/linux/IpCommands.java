package dev.leasehold.client.linux;

import dev.leasehold.client.LeaseParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The iproute2 commands that put a lease on an interface and take it off again.
 *
 * <p>Why {@code ip} rather than rtnetlink through FFM: it is what dhclient-script and dhcpcd's
 * hooks use and what operators read; its error messages name the problem; address lifetimes
 * ({@code valid_lft}), {@code replace} semantics and route flags come for free; and a lease
 * changes a few times an hour, so a fork per change costs nothing that matters. The price is a
 * dependency on iproute2, which every Linux system with DHCP has. Netlink would save the forks and
 * the dependency at the cost of a message builder and ack parser of our own.
 *
 * <p>The address is given the lease's remaining time as {@code valid_lft}, so the kernel itself
 * removes it if the client dies and the lease runs out (RFC 2131 §4.4.5: a client must stop
 * using an expired address).
 *
 * <p>Every route, and the prefix route of the address, carries this interface's metric (dhcpcd's
 * choice by default: 1000 + ifindex). Two interfaces on one LAN then each have their own default
 * route instead of replacing each other's (a route is identified by destination, metric and
 * table, so {@code ip route replace default via G} with equal metrics would take over the other
 * interface's route), and deleting a route deletes only this interface's. The MTU the interface
 * had before option 26 is put back when the lease ends.
 *
 * @param interfaceName the interface
 * @param metric        the metric of its routes
 * @param mtuBefore     the interface's MTU before any lease changed it, if known
 */
public record IpCommands(String interfaceName, int metric, OptionalInt mtuBefore) {

    /** dhcpcd's default metric base for a wired interface; the ifindex is added so each interface differs. */
    public static final int METRIC_BASE = 1000;

    public IpCommands {
        if (metric < 0) {
            throw new IllegalArgumentException("a route metric is not negative: " + metric);
        }
    }

    /**
     * Commands that move the interface from {@code old} (empty: nothing configured) to {@code now}:
     * MTU, address (replace, so a renewal refreshes its lifetime), then routes; routes of the old
     * lease that the new one lacks are deleted, and an old address that changed is removed first.
     */
    public List<List<String>> apply(Optional<LeaseParameters> old, LeaseParameters now, Instant at) {
        List<List<String>> commands = new ArrayList<>();
        if (old.isPresent() && !old.get().cidr().equals(now.cidr())) {
            commands.addAll(remove(old.get()));
            old = Optional.empty();
        }
        if (now.mtu().isPresent()) {
            commands.add(setMtu(now.mtu().getAsInt()));
        } else if (old.isPresent() && old.get().mtu().isPresent() && mtuBefore.isPresent()) {
            commands.add(setMtu(mtuBefore.getAsInt())); // the new lease no longer sets one
        }
        String lifetime = lifetime(now, at);
        commands.add(List.of("ip", "-4", "addr", "replace", now.cidr(), "broadcast", now.broadcast().toString(),
                "dev", interfaceName, "valid_lft", lifetime, "preferred_lft", lifetime, "metric", Integer.toString(metric)));
        if (old.isPresent()) {
            for (LeaseParameters.Route r : old.get().routes()) {
                if (!now.routes().contains(r)) {
                    commands.add(routeDelete(r));
                }
            }
        }
        // On-link routes first: a gateway reached through one of them must be reachable when its route goes in.
        for (LeaseParameters.Route r : now.routes()) {
            if (r.onLink()) {
                commands.add(List.of("ip", "-4", "route", "replace", r.destinationText(), "dev", interfaceName, "scope", "link",
                        "metric", Integer.toString(metric)));
            }
        }
        for (LeaseParameters.Route r : now.routes()) {
            if (!r.onLink()) {
                List<String> c = new ArrayList<>(List.of("ip", "-4", "route", "replace", r.destinationText(),
                        "via", r.router().toString(), "dev", interfaceName, "metric", Integer.toString(metric)));
                if (!now.onLinkRouter(r.router())) {
                    c.add("onlink"); // a gateway outside the prefix (RFC 3442 §3 allows it)
                }
                commands.add(c);
            }
        }
        return commands;
    }

    /**
     * Commands that take the lease off: its routes (this metric's only), its address, and the MTU
     * from before the lease. Failures are expected (already gone) and harmless.
     */
    public List<List<String>> remove(LeaseParameters lease) {
        List<List<String>> commands = new ArrayList<>();
        for (LeaseParameters.Route r : lease.routes().reversed()) {
            commands.add(routeDelete(r));
        }
        commands.add(List.of("ip", "-4", "addr", "del", lease.cidr(), "dev", interfaceName));
        if (lease.mtu().isPresent() && mtuBefore.isPresent() && lease.mtu().getAsInt() != mtuBefore.getAsInt()) {
            commands.add(setMtu(mtuBefore.getAsInt()));
        }
        return commands;
    }

    private List<String> setMtu(int mtu) {
        return List.of("ip", "link", "set", "dev", interfaceName, "mtu", Integer.toString(mtu));
    }

    private List<String> routeDelete(LeaseParameters.Route r) {
        List<String> c = new ArrayList<>(List.of("ip", "-4", "route", "del", r.destinationText()));
        if (!r.onLink()) {
            c.addAll(List.of("via", r.router().toString()));
        }
        c.addAll(List.of("dev", interfaceName, "metric", Integer.toString(metric)));
        return c;
    }

    /** The remaining lease in whole seconds (at least 1), or "forever" for an infinite lease. */
    static String lifetime(LeaseParameters lease, Instant at) {
        if (lease.infinite()) {
            return "forever";
        }
        long left = Duration.between(at, lease.expiresAt()).toSeconds();
        return Long.toString(Math.max(1, left));
    }
}
