package dev.leasehold.client.linux;

import dev.leasehold.client.Binding;
import dev.leasehold.client.LeaseParameters;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An operator's script run on every lease change, in the style of dhclient-script(8): no
 * arguments, everything in environment variables. {@code reason} is BOUND, RENEW, REBIND,
 * REBOOT, EXPIRE, RELEASE, NAK or INFORM; {@code interface} the interface; the lease now in use
 * as {@code new_*}, the one it replaces or the one just lost as {@code old_*}:
 *
 * <pre>
 * new_ip_address new_subnet_mask new_prefix_length new_network_number new_broadcast_address
 * new_routers new_classless_static_routes ("10.0.0.0/8 192.0.2.1 0.0.0.0/0 192.0.2.1")
 * new_interface_mtu new_domain_name_servers new_domain_name new_domain_search
 * new_dhcp_server_identifier new_dhcp_lease_time new_dhcp_renewal_time new_dhcp_rebinding_time new_expiry
 * </pre>
 *
 * Lists are space-separated. The script runs after Leasehold has configured the interface (or
 * before it removes the lease, for EXPIRE, RELEASE and NAK), with a 30-second limit.
 */
public final class HookScript {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path script;

    public HookScript(Path script) {
        this.script = script;
    }

    public Path script() {
        return script;
    }

    /** The environment for one run. */
    public static Map<String, String> environment(String reason, String interfaceName, Binding now, Binding old) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("reason", reason);
        env.put("interface", interfaceName);
        if (now != null) {
            put(env, "new_", now);
        }
        if (old != null) {
            put(env, "old_", old);
        }
        return env;
    }

    /** The environment for a DHCPINFORM's answer: options, no address of the server's. */
    public static Map<String, String> informEnvironment(String interfaceName, LeaseParameters options) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("reason", "INFORM");
        env.put("interface", interfaceName);
        env.put("new_domain_name_servers", join(options.dnsServers()));
        options.domainName().ifPresent(d -> env.put("new_domain_name", d));
        env.put("new_domain_search", String.join(" ", options.searchList()));
        env.put("new_routers", join(options.routers()));
        env.put("new_dhcp_server_identifier", options.serverId().toString());
        return env;
    }

    public CommandRunner.Result run(CommandRunner runner, Map<String, String> environment) throws java.io.IOException {
        return runner.run(List.of(script.toString()), environment, TIMEOUT);
    }

    private static void put(Map<String, String> env, String prefix, Binding binding) {
        LeaseParameters p = LeaseParameters.from(binding);
        env.put(prefix + "ip_address", p.address().toString());
        env.put(prefix + "subnet_mask", p.netmask().toString());
        env.put(prefix + "prefix_length", Integer.toString(p.prefixLength()));
        env.put(prefix + "network_number", p.network().toString());
        env.put(prefix + "broadcast_address", p.broadcast().toString());
        env.put(prefix + "routers", join(p.routers()));
        env.put(prefix + "classless_static_routes", binding.ack().options().contains(121)
                ? p.routes().stream().map(r -> r.destination() + "/" + r.prefixLength() + " " + r.router())
                        .collect(Collectors.joining(" ")) : "");
        p.mtu().ifPresent(m -> env.put(prefix + "interface_mtu", Integer.toString(m)));
        env.put(prefix + "domain_name_servers", join(p.dnsServers()));
        p.domainName().ifPresent(d -> env.put(prefix + "domain_name", d));
        env.put(prefix + "domain_search", String.join(" ", p.searchList()));
        env.put(prefix + "dhcp_server_identifier", p.serverId().toString());
        env.put(prefix + "dhcp_lease_time", Long.toString(p.leaseSeconds()));
        env.put(prefix + "dhcp_renewal_time", Long.toString(binding.renewAfter().toSeconds()));
        env.put(prefix + "dhcp_rebinding_time", Long.toString(binding.rebindAfter().toSeconds()));
        env.put(prefix + "expiry", Long.toString(binding.expiresAt().getEpochSecond()));
    }

    private static String join(List<Ipv4Address> addresses) {
        return addresses.stream().map(Ipv4Address::toString).collect(Collectors.joining(" "));
    }
}
