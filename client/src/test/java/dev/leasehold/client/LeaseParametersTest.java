package dev.leasehold.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseParametersTest {

    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    static Binding binding(DhcpOptions.Builder extra) {
        DhcpOptions.Builder o = extra.put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .put(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("192.0.2.1")).putU32(OptionCode.LEASE_TIME, 600);
        DhcpMessage ack = DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).xid(1)
                .hardwareAddress(HardwareAddress.parseEthernet("02:00:00:00:00:01"))
                .yiaddr(Ipv4Address.parse("192.0.2.100")).options(o.build()).build();
        return Binding.from(ack, NOW);
    }

    @Test
    void routerOptionGivesTheDefaultRoute() {
        LeaseParameters p = LeaseParameters.from(binding(DhcpOptions.builder()
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"))
                .putUnsafe(OptionCode.ROUTERS, new byte[] {(byte) 192, 0, 2, 1, (byte) 192, 0, 2, 2})));
        assertThat(p.cidr()).isEqualTo("192.0.2.100/24");
        assertThat(p.broadcast()).isEqualTo(Ipv4Address.parse("192.0.2.255"));
        assertThat(p.routes()).containsExactly(new LeaseParameters.Route(Ipv4Address.ANY, 0, Ipv4Address.parse("192.0.2.1")));
    }

    @Test
    void classlessRoutesWinOverTheRouterOption() {
        byte[] routes = {
            24, (byte) 198, 51, 100, (byte) 192, 0, 2, 5,   // 198.51.100.0/24 via 192.0.2.5
            0, (byte) 192, 0, 2, 9,                         // 0.0.0.0/0 via 192.0.2.9
            32, 10, 1, 2, 3, 0, 0, 0, 0                     // 10.1.2.3/32 on-link
        };
        LeaseParameters p = LeaseParameters.from(binding(DhcpOptions.builder()
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"))
                .put(OptionCode.ROUTERS, Ipv4Address.parse("192.0.2.1"))
                .putUnsafe(OptionCode.CLASSLESS_STATIC_ROUTES, routes)));
        assertThat(p.routes()).extracting(LeaseParameters.Route::destinationText)
                .containsExactly("198.51.100.0/24", "default", "10.1.2.3/32");
        assertThat(p.routes().get(1).router()).isEqualTo(Ipv4Address.parse("192.0.2.9"));
        assertThat(p.routes().get(2).onLink()).isTrue();
    }

    @Test
    void resolverSettingsPreferTheSearchListOverTheDomainName() {
        byte[] search = {3, 'l', 'a', 'b', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
        LeaseParameters p = LeaseParameters.from(binding(DhcpOptions.builder()
                .putUnsafe(OptionCode.DOMAIN_NAME_SERVERS, new byte[] {(byte) 192, 0, 2, 53})
                .putUnsafe(OptionCode.DOMAIN_NAME, "corp.example".getBytes())
                .putUnsafe(OptionCode.DOMAIN_SEARCH, search)
                .putUnsafe(OptionCode.INTERFACE_MTU, new byte[] {0x05, 0x78})));
        assertThat(p.dnsServers()).containsExactly(Ipv4Address.parse("192.0.2.53"));
        assertThat(p.effectiveSearch()).containsExactly("lab.example", "example");
        assertThat(p.mtu()).hasValue(1400);
        assertThat(p.prefixLength()).isEqualTo(24); // no option 1: class C
    }

    @Test
    void malformedOptionsReadAsAbsent() {
        LeaseParameters p = LeaseParameters.from(binding(DhcpOptions.builder()
                .putUnsafe(OptionCode.ROUTERS, new byte[] {1, 2, 3})
                .putUnsafe(OptionCode.INTERFACE_MTU, new byte[] {0, 10})));
        assertThat(p.routes()).isEmpty();
        assertThat(p.mtu()).isEmpty();
        assertThat(p.routers()).isEqualTo(List.of());
    }
}
