package dev.leasehold.wire;

import static dev.leasehold.wire.OptionType.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table of known options: code, configuration name and value type. {@link #standard()} holds
 * every option of RFC 2132 and the later ones the server deals in (61 in its RFC 4361 form, 77,
 * 80, 81, 82, 93, 94, 97, 108, 114, 118, 119, 121, 124, 125). Names follow ISC Kea where Kea has
 * one. Immutable.
 */
public final class OptionDefinitions {

    private static final OptionDefinitions STANDARD = new OptionDefinitions(List.of(
            // RFC 2132 §3: vendor extensions of RFC 1497
            def(1, "subnet-mask", IPV4_ADDRESS),
            def(2, "time-offset", INT32),
            def(3, "routers", IPV4_ADDRESS_LIST),
            def(4, "time-servers", IPV4_ADDRESS_LIST),
            def(5, "name-servers", IPV4_ADDRESS_LIST),
            def(6, "domain-name-servers", IPV4_ADDRESS_LIST),
            def(7, "log-servers", IPV4_ADDRESS_LIST),
            def(8, "cookie-servers", IPV4_ADDRESS_LIST),
            def(9, "lpr-servers", IPV4_ADDRESS_LIST),
            def(10, "impress-servers", IPV4_ADDRESS_LIST),
            def(11, "resource-location-servers", IPV4_ADDRESS_LIST),
            def(12, "host-name", STRING),
            def(13, "boot-size", UINT16),
            def(14, "merit-dump", STRING),
            def(15, "domain-name", DOMAIN_NAME),
            def(16, "swap-server", IPV4_ADDRESS),
            def(17, "root-path", STRING),
            def(18, "extensions-path", STRING),
            // RFC 2132 §4: IP layer parameters per host
            def(19, "ip-forwarding", BOOLEAN),
            def(20, "non-local-source-routing", BOOLEAN),
            def(21, "policy-filter", IPV4_ADDRESS_PAIRS),
            def(22, "max-dgram-reassembly", UINT16),
            def(23, "default-ip-ttl", UINT8),
            def(24, "path-mtu-aging-timeout", UINT32),
            def(25, "path-mtu-plateau-table", UINT16_LIST),
            // RFC 2132 §5: IP layer parameters per interface
            def(26, "interface-mtu", UINT16),
            def(27, "all-subnets-local", BOOLEAN),
            def(28, "broadcast-address", IPV4_ADDRESS),
            def(29, "perform-mask-discovery", BOOLEAN),
            def(30, "mask-supplier", BOOLEAN),
            def(31, "router-discovery", BOOLEAN),
            def(32, "router-solicitation-address", IPV4_ADDRESS),
            def(33, "static-routes", IPV4_ADDRESS_PAIRS),
            // RFC 2132 §6: link layer parameters per interface
            def(34, "trailer-encapsulation", BOOLEAN),
            def(35, "arp-cache-timeout", UINT32),
            def(36, "ieee802-3-encapsulation", BOOLEAN),
            // RFC 2132 §7: TCP parameters
            def(37, "default-tcp-ttl", UINT8),
            def(38, "tcp-keepalive-interval", UINT32),
            def(39, "tcp-keepalive-garbage", BOOLEAN),
            // RFC 2132 §8: application and service parameters
            def(40, "nis-domain", STRING),
            def(41, "nis-servers", IPV4_ADDRESS_LIST),
            def(42, "ntp-servers", IPV4_ADDRESS_LIST),
            def(43, "vendor-encapsulated-options", BYTES),
            def(44, "netbios-name-servers", IPV4_ADDRESS_LIST),
            def(45, "netbios-dd-server", IPV4_ADDRESS_LIST),
            def(46, "netbios-node-type", UINT8),
            def(47, "netbios-scope", STRING),
            def(48, "font-servers", IPV4_ADDRESS_LIST),
            def(49, "x-display-manager", IPV4_ADDRESS_LIST),
            // RFC 2132 §9: DHCP extensions
            def(50, "dhcp-requested-address", IPV4_ADDRESS),
            def(51, "dhcp-lease-time", UINT32),
            def(52, "dhcp-option-overload", UINT8),
            def(53, "dhcp-message-type", UINT8),
            def(54, "dhcp-server-identifier", IPV4_ADDRESS),
            def(55, "dhcp-parameter-request-list", UINT8_LIST),
            def(56, "dhcp-message", STRING),
            def(57, "dhcp-max-message-size", UINT16),
            def(58, "dhcp-renewal-time", UINT32),
            def(59, "dhcp-rebinding-time", UINT32),
            def(60, "vendor-class-identifier", STRING),
            // RFC 2132 §9.14, RFC 4361 §6.1 (type 255, IAID, DUID): see ClientIdentifier
            def(61, "dhcp-client-identifier", BYTES),
            // RFC 2132 §8.11–8.21, §9.4, §9.5
            def(64, "nisplus-domain-name", STRING),
            def(65, "nisplus-servers", IPV4_ADDRESS_LIST),
            def(66, "tftp-server-name", STRING),
            def(67, "boot-file-name", STRING),
            def(68, "mobile-ip-home-agent", IPV4_ADDRESS_LIST_OR_EMPTY),
            def(69, "smtp-server", IPV4_ADDRESS_LIST),
            def(70, "pop-server", IPV4_ADDRESS_LIST),
            def(71, "nntp-server", IPV4_ADDRESS_LIST),
            def(72, "www-server", IPV4_ADDRESS_LIST),
            def(73, "finger-server", IPV4_ADDRESS_LIST),
            def(74, "irc-server", IPV4_ADDRESS_LIST),
            def(75, "streettalk-server", IPV4_ADDRESS_LIST),
            def(76, "streettalk-directory-assistance-server", IPV4_ADDRESS_LIST),
            def(77, "user-class", USER_CLASS),                     // RFC 3004
            def(80, "rapid-commit", EMPTY),                        // RFC 4039
            def(81, "fqdn", CLIENT_FQDN),                          // RFC 4702
            def(82, "dhcp-agent-options", RELAY_AGENT_INFO),       // RFC 3046
            def(93, "client-system", UINT16_LIST),                 // RFC 4578 §2.1
            def(94, "client-ndi", BYTES),                          // RFC 4578 §2.2
            def(97, "uuid-guid", BYTES),                           // RFC 4578 §2.3
            def(108, "v6-only-preferred", UINT32),                 // RFC 8925 §3.1
            def(114, "captive-portal", STRING),                    // RFC 8910 §2.1
            def(116, "auto-config", UINT8),                       // RFC 2563 §2 (dhcpcd asks for it)
            def(118, "subnet-selection", IPV4_ADDRESS),            // RFC 3011 §3
            def(119, "domain-search", DOMAIN_SEARCH_LIST),         // RFC 3397 §2
            def(121, "classless-static-route", CLASSLESS_ROUTES),  // RFC 3442 §3
            def(124, "vivco-suboptions", VIVCO),                   // RFC 3925 §3
            def(125, "vivso-suboptions", VIVSO)));                 // RFC 3925 §4

    private final List<OptionDefinition> all;
    private final OptionDefinition[] byCode = new OptionDefinition[256];
    private final Map<String, OptionDefinition> byName = new HashMap<>();

    private OptionDefinitions(List<OptionDefinition> definitions) {
        List<OptionDefinition> sorted = new ArrayList<>(definitions);
        sorted.sort((a, b) -> Integer.compare(a.code(), b.code()));
        for (OptionDefinition d : sorted) {
            if (byCode[d.code()] != null || byName.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("duplicate option definition: " + d);
            }
            byCode[d.code()] = d;
        }
        this.all = Collections.unmodifiableList(sorted);
    }

    /** The standard table, shared and immutable. */
    public static OptionDefinitions standard() {
        return STANDARD;
    }

    /**
     * A table of the given definitions, e.g. the standard ones plus a site's own; codes and names
     * must be unique.
     */
    public static OptionDefinitions of(List<OptionDefinition> definitions) {
        return new OptionDefinitions(definitions);
    }

    /** The definition of a configuration name, matched exactly (names are lower case). */
    public Optional<OptionDefinition> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<OptionDefinition> byCode(int code) {
        return code < 0 || code > 255 ? Optional.empty() : Optional.ofNullable(byCode[code]);
    }

    /** The type of {@code code}, or null when unknown: for the decoder's per-option check. */
    OptionType typeOrNull(int code) {
        OptionDefinition d = byCode[code & 0xFF];
        return d == null ? null : d.type();
    }

    /** Every definition, ordered by code. */
    public List<OptionDefinition> all() {
        return all;
    }

    private static OptionDefinition def(int code, String name, OptionType type) {
        return new OptionDefinition(code, name, type);
    }
}
