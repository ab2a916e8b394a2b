package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leasehold.client.Binding;
import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/**
 * Several subnets on one link (Kea's {@code shared-networks}, ISC's {@code shared-network}): a
 * /24 ran full and a second one was added to the same wire. A client there may be given an
 * address from any member, and renewals and INIT-REBOOT of any member's address are valid
 * (RFC 2131 §4.3.2: "correct network" is the client's link, not one prefix).
 */
class SharedNetworkTest {

    /** 10.0.0.0/24 (two pool addresses) and 10.0.1.0/24 share eth0; 10.0.2.0/24 is elsewhere. */
    private static final String SHARED = """
            valid-lifetime: 1h
            allocation: iterative
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                shared-network: office
                interface: eth0
                pools: [{range: 10.0.0.100-10.0.0.101}]
                options: {routers: 10.0.0.1}
              - id: 2
                subnet: 10.0.1.0/24
                shared-network: office
                pools: [{range: 10.0.1.100-10.0.1.199}]
                options: {routers: 10.0.1.1}
              - id: 3
                subnet: 10.0.2.0/24
                pools: [{range: 10.0.2.100-10.0.2.199}]
            """;

    private final EngineHarness h = EngineHarness.start(SHARED)
            .withInterfaceAddresses("10.0.0.1", "10.0.0.1/24", "10.0.1.1/24");

    @Test
    void whenTheFirstSubnetIsFullClientsGetAddressesFromTheNextOnTheSameLink() {
        Binding first = h.client("02:00:00:00:00:01").dora();
        Binding second = h.client("02:00:00:00:00:02").dora();
        Binding third = h.client("02:00:00:00:00:03").dora();

        assertThat(first.address().toString()).startsWith("10.0.0.");
        assertThat(second.address().toString()).startsWith("10.0.0.");
        assertThat(third.address()).isEqualTo(ip("10.0.1.100"));
        // Options and option 54 are those of the member the address is in.
        assertThat(Replies.address(third.ack(), OptionCode.ROUTERS)).isEqualTo(ip("10.0.1.1"));
        assertThat(third.serverId()).isEqualTo(ip("10.0.1.1"));
    }

    @Test
    void aRenewalOfAnAddressInAnotherMemberIsAcknowledged() {
        fillFirstSubnet();
        TestClient client = h.client("02:00:00:00:00:03");
        Binding bound = client.dora();

        assertThat(client.renew().map(Replies::type)).contains(MessageType.ACK);
        assertThat(client.rebind().map(Replies::type)).contains(MessageType.ACK);
        assertThat(bound.address()).isEqualTo(ip("10.0.1.100"));
    }

    @Test
    void initRebootOfAnAddressInAnotherMemberIsAcknowledgedAndOneOffTheLinkIsNaked() {
        fillFirstSubnet();
        Binding bound = h.client("02:00:00:00:00:03").dora();

        assertThat(h.client("02:00:00:00:00:03").initReboot(bound.address()).map(Replies::type)).contains(MessageType.ACK);
        assertThat(h.client("02:00:00:00:00:04").initReboot(ip("10.0.2.150")).map(Replies::type)).contains(MessageType.NAK);
    }

    @Test
    void aReturningClientGetsItsAddressInTheSecondMemberBackBeforeAFreeOneInTheFirst() {
        TestClient first = h.client("02:00:00:00:00:01");
        first.dora();
        h.client("02:00:00:00:00:02").dora();
        TestClient client = h.client("02:00:00:00:00:03");
        Binding bound = client.dora();
        client.release();
        first.release(); // a free address in the first member now

        assertThat(h.client("02:00:00:00:00:03").discover().yiaddr()).isEqualTo(bound.address());
    }

    @Test
    void membersOfOneSharedNetworkOnTwoInterfacesAreRefusedNamingThePath() {
        String twoInterfaces = SHARED.replace("    pools: [{range: 10.0.1.100-10.0.1.199}]",
                "    interface: eth1\n    pools: [{range: 10.0.1.100-10.0.1.199}]");
        assertThat(twoInterfaces).contains("interface: eth1");

        assertThatThrownBy(() -> ConfigLoader.parse(twoInterfaces, "shared.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("subnets[1].interface")
                .hasMessageContaining("shared network 'office'");
    }

    private void fillFirstSubnet() {
        h.client("02:00:00:00:00:01").dora();
        h.client("02:00:00:00:00:02").dora();
    }
}
