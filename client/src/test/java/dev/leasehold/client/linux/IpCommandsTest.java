package dev.leasehold.client.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.client.LeaseParameters;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class IpCommandsTest {

    static final IpCommands ETH9 = new IpCommands("eth9", 1009, OptionalInt.of(1500));

    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    static Binding binding(String yiaddr, byte[] routes) {
        return binding(yiaddr, routes, DhcpOptions.builder());
    }

    /** An ACK with a /24, router, two DNS servers and a domain; {@code extra} adds or replaces options. */
    static Binding binding(String yiaddr, byte[] routes, DhcpOptions.Builder extra) {
        DhcpOptions.Builder o = DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .put(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("192.0.2.1")).putU32(OptionCode.LEASE_TIME, 600)
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"))
                .put(OptionCode.ROUTERS, Ipv4Address.parse("192.0.2.1"))
                .putUnsafe(OptionCode.DOMAIN_NAME_SERVERS, new byte[] {(byte) 192, 0, 2, 53, (byte) 192, 0, 2, 54})
                .putUnsafe(OptionCode.DOMAIN_NAME, "lab.example".getBytes());
        if (routes != null) {
            o.putUnsafe(OptionCode.CLASSLESS_STATIC_ROUTES, routes);
        }
        extra.build().asList().forEach(option -> o.put(option.code(), option.value()));
        DhcpMessage ack = DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).xid(1)
                .hardwareAddress(HardwareAddress.parseEthernet("02:00:00:00:00:01"))
                .yiaddr(Ipv4Address.parse(yiaddr)).options(o.build()).build();
        return Binding.from(ack, NOW);
    }

    @Test
    void applyAddsTheAddressWithTheLeaseLifetimeThenTheDefaultRouteAllWithTheInterfaceMetric() {
        LeaseParameters p = LeaseParameters.from(binding("192.0.2.100", null));
        assertThat(ETH9.apply(Optional.empty(), p, NOW.plusSeconds(100))).containsExactly(
                List.of("ip", "-4", "addr", "replace", "192.0.2.100/24", "broadcast", "192.0.2.255", "dev", "eth9",
                        "valid_lft", "500", "preferred_lft", "500", "metric", "1009"),
                List.of("ip", "-4", "route", "replace", "default", "via", "192.0.2.1", "dev", "eth9", "metric", "1009"));
    }

    @Test
    void twoInterfacesOnOneLanKeepTheirOwnDefaultRoutesAndRemoveOnlyTheirOwn() {
        IpCommands eth8 = new IpCommands("eth8", 1008, OptionalInt.of(1500));
        LeaseParameters p = LeaseParameters.from(binding("192.0.2.100", null));
        LeaseParameters q = LeaseParameters.from(binding("192.0.2.101", null));
        List<String> route8 = eth8.apply(Optional.empty(), p, NOW).getLast();
        List<String> route9 = ETH9.apply(Optional.empty(), q, NOW).getLast();
        // Different metrics: the kernel keeps both routes; neither replace takes over the other.
        assertThat(route8).endsWith("metric", "1008");
        assertThat(route9).endsWith("metric", "1009");
        assertThat(eth8.remove(p)).first().isEqualTo(
                List.of("ip", "-4", "route", "del", "default", "via", "192.0.2.1", "dev", "eth8", "metric", "1008"));
    }

    @Test
    void classlessRoutesReplaceTheRouterAndOffLinkGatewaysGetOnlink() {
        byte[] routes = {24, (byte) 198, 51, 100, 10, 0, 0, 1, 8, 10, 0, 0, 0, 0};  // 198.51.100.0/24 via 10.0.0.1; 10/8 on-link
        LeaseParameters p = LeaseParameters.from(binding("192.0.2.100", routes));
        List<List<String>> commands = ETH9.apply(Optional.empty(), p, NOW);
        assertThat(commands).contains(
                List.of("ip", "-4", "route", "replace", "10.0.0.0/8", "dev", "eth9", "scope", "link", "metric", "1009"),
                List.of("ip", "-4", "route", "replace", "198.51.100.0/24", "via", "10.0.0.1", "dev", "eth9", "metric", "1009",
                        "onlink"));
        assertThat(commands).noneMatch(c -> c.contains("default"));
    }

    @Test
    void aChangedAddressRemovesTheOldOneFirst() {
        LeaseParameters old = LeaseParameters.from(binding("192.0.2.100", null));
        LeaseParameters now = LeaseParameters.from(binding("192.0.2.101", null));
        List<List<String>> commands = ETH9.apply(Optional.of(old), now, NOW);
        assertThat(commands.get(0)).containsExactly("ip", "-4", "route", "del", "default", "via", "192.0.2.1", "dev", "eth9",
                "metric", "1009");
        assertThat(commands.get(1)).containsExactly("ip", "-4", "addr", "del", "192.0.2.100/24", "dev", "eth9");
        assertThat(commands.get(2)).contains("192.0.2.101/24");
    }

    @Test
    void theMtuFromBeforeTheLeaseComesBackWhenTheLeaseEnds() {
        LeaseParameters p = LeaseParameters.from(binding("192.0.2.100", null,
                DhcpOptions.builder().putUnsafe(OptionCode.INTERFACE_MTU, new byte[] {0x05, 0x78})));
        assertThat(ETH9.apply(Optional.empty(), p, NOW).getFirst()).containsExactly("ip", "link", "set", "dev", "eth9", "mtu", "1400");
        assertThat(ETH9.remove(p).getLast()).containsExactly("ip", "link", "set", "dev", "eth9", "mtu", "1500");
        // A renewal whose lease no longer sets the MTU puts the old one back too.
        LeaseParameters without = LeaseParameters.from(binding("192.0.2.100", null));
        assertThat(ETH9.apply(Optional.of(p), without, NOW).getFirst()).containsExactly("ip", "link", "set", "dev", "eth9", "mtu", "1500");
        assertThat(ETH9.remove(without)).noneMatch(c -> c.contains("mtu"));
    }
}
