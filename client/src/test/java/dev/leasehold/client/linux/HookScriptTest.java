package dev.leasehold.client.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.wire.DhcpOptions;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HookScriptTest {

    @Test
    void environmentCarriesNewAndOldLeasesUnderDhclientScriptNames() {
        Binding now = IpCommandsTest.binding("192.0.2.101", null);
        Binding old = IpCommandsTest.binding("192.0.2.100", null);
        var env = HookScript.environment("RENEW", "eth9", now, old);
        assertThat(env).containsEntry("reason", "RENEW").containsEntry("interface", "eth9")
                .containsEntry("new_ip_address", "192.0.2.101").containsEntry("old_ip_address", "192.0.2.100")
                .containsEntry("new_subnet_mask", "255.255.255.0").containsEntry("new_routers", "192.0.2.1")
                .containsEntry("new_network_number", "192.0.2.0").containsEntry("new_broadcast_address", "192.0.2.255")
                .containsEntry("new_domain_name_servers", "192.0.2.53 192.0.2.54").containsEntry("new_domain_name", "lab.example")
                .containsEntry("new_dhcp_lease_time", "600").containsEntry("new_dhcp_renewal_time", "300")
                .containsEntry("new_dhcp_rebinding_time", "525").containsEntry("new_dhcp_message_type", "5")
                .containsEntry("new_dhcp_server_identifier", "192.0.2.1");
        assertThat(env).doesNotContainKey("new_rfc3442_classless_static_routes");
    }

    @Test
    void classlessRoutesComeInDhclientsOctetFormAndInCidrForm() {
        // 192.168.10.0/24 via 192.0.2.1, 10.0.0.0/8 via 192.0.2.1, default via 192.0.2.1
        byte[] routes = {24, (byte) 192, (byte) 168, 10, (byte) 192, 0, 2, 1, 8, 10, (byte) 192, 0, 2, 1, 0, (byte) 192, 0, 2, 1};
        var env = HookScript.environment("BOUND", "eth9", IpCommandsTest.binding("192.0.2.100", routes), null);
        // The form /etc/dhcp/dhclient-exit-hooks.d/rfc3442-classless-routes parses: length, significant octets, router.
        assertThat(env).containsEntry("new_rfc3442_classless_static_routes",
                "24 192 168 10 192 0 2 1 8 10 192 0 2 1 0 192 0 2 1");
        assertThat(env).containsEntry("new_classless_static_routes",
                "192.168.10.0/24 192.0.2.1 10.0.0.0/8 192.0.2.1 0.0.0.0/0 192.0.2.1");
    }

    @Test
    void malformedClasslessRoutesAreNotPassedOn() {
        var env = HookScript.environment("BOUND", "eth9", IpCommandsTest.binding("192.0.2.100", new byte[] {33, 1, 2}), null);
        assertThat(env).containsEntry("new_classless_static_routes", "").doesNotContainKey("new_rfc3442_classless_static_routes");
    }

    @Test
    void captivePortalGoesToTheHook() {
        Binding b = IpCommandsTest.binding("192.0.2.100", null, DhcpOptions.builder()
                .putUnsafe(OptionCode.CAPTIVE_PORTAL, "https://portal.example/login".getBytes(StandardCharsets.US_ASCII)));
        assertThat(HookScript.environment("BOUND", "eth9", b, null)).containsEntry("new_captive_portal", "https://portal.example/login");
    }

    @Test
    void aCaptivePortalWithControlCharactersIsNotPassedOn() {
        Binding b = IpCommandsTest.binding("192.0.2.100", null, DhcpOptions.builder()
                .putUnsafe(OptionCode.CAPTIVE_PORTAL, "https://x/\u0000\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(HookScript.environment("BOUND", "eth9", b, null)).doesNotContainKey("new_captive_portal");
    }

    @Test
    void preinitNamesOnlyTheInterface() {
        assertThat(HookScript.preinitEnvironment("eth9")).containsExactly(
                java.util.Map.entry("reason", "PREINIT"), java.util.Map.entry("interface", "eth9"));
    }
}
