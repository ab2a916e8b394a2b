package dev.leasehold.client.linux;

import dev.leasehold.client.Binding;
import dev.leasehold.client.LeaseParameters;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinitions;
import dev.leasehold.wire.OptionValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An operator's script run on every lease change, in the style of dhclient-script(8): no
 * arguments, everything in environment variables, with dhclient's names so that existing
 * dhclient exit hooks (/etc/dhcp/dhclient-exit-hooks.d) work unchanged. {@code reason} is
 * PREINIT (once, before the first DHCPDISCOVER), BOUND, RENEW, REBIND, REBOOT, EXPIRE, RELEASE,
 * NAK or INFORM; {@code interface} the interface; the lease now in use as {@code new_*}, the one
 * it replaces or the one just lost as {@code old_*}:
 *
 * <pre>
 * new_ip_address new_subnet_mask new_network_number new_broadcast_address new_routers
 * new_rfc3442_classless_static_routes ("24 198 51 100 192 0 2 1 0 192 0 2 1": dhclient's form)
 * new_interface_mtu new_domain_name_servers new_domain_name new_domain_search
 * new_dhcp_server_identifier new_dhcp_lease_time new_dhcp_renewal_time new_dhcp_rebinding_time
 * new_expiry new_dhcp_message_type
 * </pre>
 *
 * and Leasehold's own: {@code new_prefix_length}, {@code new_classless_static_routes}
 * ("198.51.100.0/24 192.0.2.1 0.0.0.0/0 192.0.2.1") and {@code new_captive_portal} (option 114,
 * RFC 8910). Lists are space-separated. The script runs after Leasehold has configured the
 * interface (or before it removes the lease, for EXPIRE, RELEASE and NAK), with a 30-second limit.
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

    /** The environment of the PREINIT run, before anything is sent (dhclient-script brings the interface up then). */
    public static Map<String, String> preinitEnvironment(String interfaceName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("reason", "PREINIT");
        env.put("interface", interfaceName);
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
        byte[] option121 = binding.ack().options().getUnsafe(OptionCode.CLASSLESS_STATIC_ROUTES);
        boolean classless = option121 != null && OptionDefinitions.standard().byCode(OptionCode.CLASSLESS_STATIC_ROUTES)
                .orElseThrow().type().isWellFormed(option121); // else the routes come from option 3
        env.put(prefix + "classless_static_routes", classless
                ? p.routes().stream().map(r -> r.destination() + "/" + r.prefixLength() + " " + r.router())
                        .collect(Collectors.joining(" ")) : "");
        if (classless) {
            env.put(prefix + "rfc3442_classless_static_routes", rfc3442(p.routes()));
        }
        // Only printable text reaches the environment: a server's control characters stay out of scripts.
        if (binding.ack().options().getUnsafe(OptionCode.CAPTIVE_PORTAL) instanceof byte[] uri
                && OptionDefinitions.standard().byCode(OptionCode.CAPTIVE_PORTAL).orElseThrow().type().decode(uri)
                        instanceof OptionValue.Text(String text)) {
            env.put(prefix + "captive_portal", text);
        }
        env.put(prefix + "dhcp_message_type", Integer.toString(MessageType.ACK.code()));
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

    /**
     * Routes as dhclient passes option 121 to its scripts: for each, the prefix length, the
     * destination's significant octets (RFC 3442 §2), then the router's four octets, all decimal
     * and space-separated ("24 192 168 10 192 168 1 1 0 192 168 1 1").
     */
    static String rfc3442(List<LeaseParameters.Route> routes) {
        StringBuilder out = new StringBuilder();
        for (LeaseParameters.Route r : routes) {
            out.append(out.isEmpty() ? "" : " ").append(r.prefixLength());
            byte[] destination = r.destination().toBytes();
            for (int i = 0; i < (r.prefixLength() + 7) / 8; i++) {
                out.append(' ').append(destination[i] & 0xFF);
            }
            for (byte b : r.router().toBytes()) {
                out.append(' ').append(b & 0xFF);
            }
        }
        return out.toString();
    }

    private static String join(List<Ipv4Address> addresses) {
        return addresses.stream().map(Ipv4Address::toString).collect(Collectors.joining(" "));
    }
}
