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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpCommandsTest {

    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    static Binding binding(String yiaddr, byte[] routes) {
        DhcpOptions.Builder o = DhcpOptions.builder().put(OptionCode.MESSAGE_TYPE, MessageType.ACK.code())
                .put(OptionCode.SERVER_IDENTIFIER, Ipv4Address.parse("192.0.2.1")).putU32(OptionCode.LEASE_TIME, 600)
                .put(OptionCode.SUBNET_MASK, Ipv4Address.parse("255.255.255.0"))
                .put(OptionCode.ROUTERS, Ipv4Address.parse("192.0.2.1"))
                .putUnsafe(OptionCode.DOMAIN_NAME_SERVERS, new byte[] {(byte) 192, 0, 2, 53, (byte) 192, 0, 2, 54})
                .putUnsafe(OptionCode.DOMAIN_NAME, "lab.example".getBytes());
        if (routes != null) {
            o.putUnsafe(OptionCode.CLASSLESS_STATIC_ROUTES, routes);
        }
        DhcpMessage ack = DhcpMessage.builder().op(DhcpMessage.BootOp.BOOTREPLY).xid(1)
                .hardwareAddress(HardwareAddress.parseEthernet("02:00:00:00:00:01"))
                .yiaddr(Ipv4Address.parse(yiaddr)).options(o.build()).build();
        return Binding.from(ack, NOW);
    }

    @Test
    void applyAddsTheAddressWithTheLeaseLifetimeThenTheDefaultRoute() {
        LeaseParameters p = LeaseParameters.from(binding("192.0.2.100", null));
        assertThat(new IpCommands("eth9").apply(Optional.empty(), p, NOW.plusSeconds(100))).containsExactly(
                List.of("ip", "-4", "addr", "replace", "192.0.2.100/24", "broadcast", "192.0.2.255", "dev", "eth9",
                        "valid_lft", "500", "preferred_lft", "500"),
                List.of("ip", "-4", "route", "replace", "default", "via", "192.0.2.1", "dev", "eth9"));
    }

    @Test
    void classlessRoutesReplaceTheRouterAndOffLinkGatewaysGetOnlink() {
        byte[] routes = {24, (byte) 198, 51, 100, 10, 0, 0, 1, 8, 10, 0, 0, 0, 0};  // 198.51.100.0/24 via 10.0.0.1; 10/8 on-link
        LeaseParameters p = LeaseParameters.from(binding("192.0.2.100", routes));
        List<List<String>> commands = new IpCommands("eth9").apply(Optional.empty(), p, NOW);
        assertThat(commands).contains(
                List.of("ip", "-4", "route", "replace", "10.0.0.0/8", "dev", "eth9", "scope", "link"),
                List.of("ip", "-4", "route", "replace", "198.51.100.0/24", "via", "10.0.0.1", "dev", "eth9", "onlink"));
        assertThat(commands).noneMatch(c -> c.contains("default"));
    }

    @Test
    void aChangedAddressRemovesTheOldOneFirst() {
        LeaseParameters old = LeaseParameters.from(binding("192.0.2.100", null));
        LeaseParameters now = LeaseParameters.from(binding("192.0.2.101", null));
        List<List<String>> commands = new IpCommands("eth9").apply(Optional.of(old), now, NOW);
        assertThat(commands.get(0)).containsExactly("ip", "-4", "route", "del", "default", "via", "192.0.2.1", "dev", "eth9");
        assertThat(commands.get(1)).containsExactly("ip", "-4", "addr", "del", "192.0.2.100/24", "dev", "eth9");
        assertThat(commands.get(2)).contains("192.0.2.101/24");
    }

    @Test
    void resolvConfIsWrittenAndRestored(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 203.0.113.1\n");
        ResolvConf resolv = new ResolvConf(file);
        resolv.write(LeaseParameters.from(binding("192.0.2.100", null)), "eth9");
        assertThat(Files.readString(file)).contains("search lab.example\n", "nameserver 192.0.2.53\n", "nameserver 192.0.2.54\n")
                .doesNotContain("203.0.113.1");
        resolv.restore();
        assertThat(Files.readString(file)).isEqualTo("nameserver 203.0.113.1\n");
    }

    @Test
    void leaseFileRoundTripsTheBinding(@TempDir Path dir) throws IOException {
        LeaseFile file = new LeaseFile(dir.resolve("sub/client.lease"));
        Binding b = binding("192.0.2.100", null);
        file.save("eth9", b);
        assertThat(file.load("eth9")).contains(b);
        assertThat(file.load("eth8")).isEmpty();
        Files.writeString(file.path(), "interface=eth9\nbound-at=yesterday\nack=00\n");
        assertThat(file.load("eth9")).isEmpty();
        file.delete();
        assertThat(file.load("eth9")).isEmpty();
    }

    @Test
    void hookEnvironmentCarriesNewAndOldLeases() {
        Binding now = binding("192.0.2.101", null);
        Binding old = binding("192.0.2.100", null);
        var env = HookScript.environment("RENEW", "eth9", now, old);
        assertThat(env).containsEntry("reason", "RENEW").containsEntry("interface", "eth9")
                .containsEntry("new_ip_address", "192.0.2.101").containsEntry("old_ip_address", "192.0.2.100")
                .containsEntry("new_subnet_mask", "255.255.255.0").containsEntry("new_routers", "192.0.2.1")
                .containsEntry("new_domain_name_servers", "192.0.2.53 192.0.2.54")
                .containsEntry("new_dhcp_lease_time", "600").containsEntry("new_dhcp_renewal_time", "300")
                .containsEntry("new_dhcp_server_identifier", "192.0.2.1");
    }
}
