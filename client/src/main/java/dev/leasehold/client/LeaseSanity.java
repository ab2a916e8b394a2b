package dev.leasehold.client;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.OptionDefinition;
import dev.leasehold.wire.OptionDefinitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client refuses in a server's DHCPOFFER or DHCPACK, and what it works around.
 *
 * <p>Refused (the offer is not requested, the ACK not used): a yiaddr no host may hold — in
 * 0.0.0.0/8 ("this network", RFC 1122 §3.2.1.3), loopback 127.0.0.0/8, multicast 224.0.0.0/4,
 * the reserved 240.0.0.0/4 with the limited broadcast (RFC 1122 §3.2.1.3, RFC 6890) — or the
 * network or directed-broadcast address of its own subnet (RFC 922, RFC 1122 §3.3.6; not for /31
 * and /32, RFC 3021); and a subnet mask (option 1) that is malformed, zero or not contiguous
 * (255.0.255.0): the kernel wants a prefix length, and guessing one from the address's class
 * would put a made-up subnet on the link. Nothing in such a lease can be trusted to be meant.
 *
 * <p>Worked around, and said so in the log: malformed configuration options (read as absent;
 * a malformed option 121 means the default route comes from option 3 instead, RFC 3442 §1).
 */
public final class LeaseSanity {

    /** The configuration options whose shape the client checks (those it applies). */
    private static final int[] APPLIED = {OptionCode.ROUTERS, OptionCode.DOMAIN_NAME_SERVERS, OptionCode.DOMAIN_NAME,
        OptionCode.INTERFACE_MTU, OptionCode.BROADCAST_ADDRESS, OptionCode.DOMAIN_SEARCH, OptionCode.CLASSLESS_STATIC_ROUTES,
        OptionCode.IPV6_ONLY_PREFERRED, OptionCode.CAPTIVE_PORTAL};

    private LeaseSanity() {
    }

    /** Why the address {@code reply} offers or acknowledges must not be configured, or empty when it may. */
    public static Optional<String> refusal(DhcpMessage reply) {
        Ipv4Address yiaddr = reply.yiaddr();
        Optional<String> special = specialPurpose(yiaddr);
        if (special.isPresent()) {
            return Optional.of("yiaddr " + yiaddr + " is " + special.get() + ", not a host address");
        }
        byte[] mask = reply.options().getUnsafe(OptionCode.SUBNET_MASK);
        int prefix;
        if (mask == null) {
            prefix = LeaseParameters.classfulPrefix(yiaddr);
        } else if (mask.length != 4) {
            return Optional.of("subnet mask (option 1) of " + mask.length + " bytes; a mask has 4");
        } else {
            Ipv4Address m = Ipv4Address.read(mask, 0);
            if (!LeaseParameters.isMask(m) || m.isAny()) {
                return Optional.of("subnet mask " + m + " is not a contiguous netmask; refusing rather than guessing the subnet");
            }
            prefix = Integer.bitCount(m.bits());
        }
        if (prefix <= 30) {
            int netmask = -1 << (32 - prefix);
            int network = yiaddr.bits() & netmask;
            if (yiaddr.bits() == network) {
                return Optional.of("yiaddr " + yiaddr + " is the network address of " + new Ipv4Address(network) + "/" + prefix);
            }
            if (yiaddr.bits() == (network | ~netmask)) {
                return Optional.of("yiaddr " + yiaddr + " is the broadcast address of " + new Ipv4Address(network) + "/" + prefix);
            }
        }
        return Optional.empty();
    }

    /** The configuration options of {@code ack} that are malformed and will be read as absent, one line each. */
    public static List<String> malformedOptions(DhcpMessage ack) {
        List<String> problems = new ArrayList<>();
        for (int code : APPLIED) {
            byte[] value = ack.options().getUnsafe(code);
            Optional<OptionDefinition> definition = OptionDefinitions.standard().byCode(code);
            if (value == null || definition.isEmpty() || definition.get().type().isWellFormed(value)) {
                continue;
            }
            String what = "option " + code + " (" + definition.get().name() + ") is malformed (" + value.length + " bytes)";
            if (code == OptionCode.CLASSLESS_STATIC_ROUTES) {
                problems.add(what + "; ignoring it and using option 3 for the default route instead");
            } else {
                problems.add(what + "; ignoring it");
            }
        }
        byte[] mtu = ack.options().getUnsafe(OptionCode.INTERFACE_MTU);
        if (mtu != null && mtu.length == 2 && (((mtu[0] & 0xFF) << 8) | (mtu[1] & 0xFF)) < LeaseParameters.MINIMUM_MTU) {
            problems.add("interface MTU (option 26) " + (((mtu[0] & 0xFF) << 8) | (mtu[1] & 0xFF))
                    + " is below IPv4's minimum of 68 (RFC 791); ignoring it");
        }
        return problems;
    }

    /** What kind of special-purpose address {@code a} is, or empty for an ordinary unicast address. */
    static Optional<String> specialPurpose(Ipv4Address a) {
        int first = a.bits() >>> 24;
        if (first == 0) {
            return Optional.of("in 0.0.0.0/8 (\"this network\")");
        }
        if (first == 127) {
            return Optional.of("a loopback address");
        }
        if (first >= 224 && first < 240) {
            return Optional.of("a multicast address");
        }
        if (a.equals(Ipv4Address.BROADCAST)) {
            return Optional.of("the limited broadcast address");
        }
        if (first >= 240) {
            return Optional.of("in the reserved 240.0.0.0/4");
        }
        return Optional.empty();
    }
}
