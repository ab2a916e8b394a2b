package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.engine.DropReason;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Client classes and option precedence (global &lt; subnet &lt; class &lt; reservation), and the
 * parameter request list (RFC 2132 §9.8) deciding which options a reply carries.
 */
class ClientClassTest {

    private static final String CONFIG = """
            valid-lifetime: 1h
            allocation: iterative
            options:
              domain-name-servers: [10.0.0.53]
              ntp-servers: {value: 10.0.0.123, always-send: true}
            client-classes:
              - name: phones
                match: {vendor-class-prefix: Polycom}
                options: {routers: 10.0.0.254, tftp-server-name: tftp.example.net}
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                interface: eth0
                pools:
                  - {range: 10.0.0.100-10.0.0.101}
                  - {range: 10.0.0.200-10.0.0.210, client-classes: [phones]}
                options: {routers: 10.0.0.1}
                reservations:
                  - {hw-address: "02:00:00:00:0f:01", ip-address: 10.0.0.10, options: {routers: 10.0.0.253}}
            """;

    /** Asks for mask, routers, DNS and TFTP server name, and nothing else. */
    private static final byte[] PRL = {1, 3, 6, 66};

    private final EngineHarness h = EngineHarness.start(CONFIG);

    private TestClient phone(String mac) {
        return h.client(mac).withOption(OptionCode.VENDOR_CLASS_IDENTIFIER, "Polycom-VVX".getBytes(StandardCharsets.US_ASCII))
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, PRL);
    }

    @Test
    void poolRestrictedToAClassIsUsedOnlyByItsMembers() {
        h.client("02:00:00:00:00:01").dora();
        h.client("02:00:00:00:00:02").dora();   // the open pool is now full

        TestClient outsider = h.client("02:00:00:00:00:03");
        assertThat(outsider.tryDiscover(ip("10.0.0.205"), false)).isEmpty();
        assertThat(h.lastDropReason()).isEqualTo(DropReason.POOL_EXHAUSTED);
        assertThat(phone("02:00:00:00:00:04").discover().yiaddr()).isEqualTo(ip("10.0.0.200"));
    }

    @Test
    void outsiderAskingForAnAddressInARestrictedPoolGetsAnOpenOne() {
        assertThat(h.client("02:00:00:00:00:01").discover(ip("10.0.0.205")).yiaddr()).isEqualTo(ip("10.0.0.100"));
    }

    @Test
    void memberAskingForAnAddressInItsClassPoolGetsIt() {
        assertThat(phone("02:00:00:00:00:01").discover(ip("10.0.0.205")).yiaddr()).isEqualTo(ip("10.0.0.205"));
    }

    @Test
    void classOptionsOverrideSubnetOptions() {
        DhcpMessage phoneOffer = phone("02:00:00:00:00:01").discover();
        DhcpMessage otherOffer = h.client("02:00:00:00:00:02").withOption(OptionCode.PARAMETER_REQUEST_LIST, PRL).discover();

        assertThat(Replies.address(phoneOffer, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.254"));
        assertThat(phoneOffer.options().getUnsafe(OptionCode.TFTP_SERVER_NAME))
                .isEqualTo("tftp.example.net".getBytes(StandardCharsets.US_ASCII));
        assertThat(Replies.address(otherOffer, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.1"));
        assertThat(otherOffer.options().contains(OptionCode.TFTP_SERVER_NAME)).isFalse();
    }

    @Test
    void reservationOptionsOverrideClassAndSubnetOptions() {
        DhcpMessage offer = phone("02:00:00:00:0f:01").discover();

        assertThat(offer.yiaddr()).isEqualTo(ip("10.0.0.10"));
        assertThat(Replies.address(offer, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.253"));
        assertThat(offer.options().contains(OptionCode.TFTP_SERVER_NAME)).isTrue();   // still the class's
    }

    @Test
    void parameterRequestListDecidesWhichOptionsAreSent() {
        DhcpMessage onlyRouters = h.client("02:00:00:00:00:01")
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, new byte[] {3}).discover();

        assertThat(onlyRouters.options().contains(OptionCode.ROUTERS)).isTrue();
        assertThat(onlyRouters.options().contains(OptionCode.DOMAIN_NAME_SERVERS)).isFalse();
        // Always sent: the subnet mask (RFC 2131 §3.3) and options configured always-send.
        assertThat(Replies.address(onlyRouters, OptionCode.SUBNET_MASK)).isEqualTo(ip("255.255.255.0"));
        assertThat(Replies.address(onlyRouters, OptionCode.NTP_SERVERS)).isEqualTo(ip("10.0.0.123"));
    }

    @Test
    void clientWithoutParameterRequestListGetsEveryConfiguredOption() {
        DhcpMessage offer = h.client("02:00:00:00:00:01").withoutOption(OptionCode.PARAMETER_REQUEST_LIST).discover();

        assertThat(offer.options().contains(OptionCode.ROUTERS)).isTrue();
        assertThat(offer.options().contains(OptionCode.DOMAIN_NAME_SERVERS)).isTrue();
        assertThat(offer.options().contains(OptionCode.NTP_SERVERS)).isTrue();
    }

    @Test
    void classCanMatchTheRelaysCircuitId() {
        EngineHarness byCircuit = EngineHarness.start(CONFIG.replace("match: {vendor-class-prefix: Polycom}",
                "match: {circuit-id: desk-phones}").replace("""
                    interface: eth0
                """, """
                    interface: eth0
                    relay-addresses: [192.168.5.1]
                """));

        DhcpMessage offer = byCircuit.relayedClient("02:00:00:00:00:01", ip("192.168.5.1"), "desk-phones")
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, PRL).discover();
        DhcpMessage other = byCircuit.relayedClient("02:00:00:00:00:02", ip("192.168.5.1"), "lobby")
                .withOption(OptionCode.PARAMETER_REQUEST_LIST, PRL).discover();

        assertThat(Replies.address(offer, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.254"));
        assertThat(Replies.address(other, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.1"));
    }
}
