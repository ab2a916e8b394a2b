package dev.leasehold.engine.lifecycle;

import static dev.leasehold.engine.lifecycle.EngineHarness.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.client.Binding;
import dev.leasehold.testkit.TestClient;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.MessageType;
import dev.leasehold.wire.OptionCode;
import org.junit.jupiter.api.Test;

/** Reload (issue 3, "Configuration"): the new configuration replaces the old between requests; leases are kept. */
class ReconfigureTest {

    private final EngineHarness h = EngineHarness.start();

    @Test
    void leasesSurviveAReloadAndRenewUnderTheNewOptions() {
        TestClient client = h.client("02:00:00:00:00:01");
        Binding bound = client.dora();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE.replace("routers: 10.0.0.1", "routers: 10.0.0.254")));

        DhcpMessage ack = client.renew().orElseThrow();
        assertThat(Replies.type(ack)).isEqualTo(MessageType.ACK);
        assertThat(ack.yiaddr()).isEqualTo(bound.address());
        assertThat(Replies.address(ack, OptionCode.ROUTERS)).isEqualTo(ip("10.0.0.254"));
    }

    @Test
    void leasedAddressesStayOutOfThePoolAfterAReload() {
        Binding bound = h.client("02:00:00:00:00:01").dora();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE));

        assertThat(h.client("02:00:00:00:00:02").discover(bound.address()).yiaddr()).isNotEqualTo(bound.address());
        assertThat(h.freeAddresses(1)).isEqualTo(98);
    }

    @Test
    void outstandingOffersSurviveAReloadAndKeepTheirAddressFromOthers() {
        dev.leasehold.wire.DhcpMessage offer = h.client("02:00:00:00:00:01").discover();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE));

        assertThat(h.engine.outstandingOffers()).isEqualTo(1);
        assertThat(h.freeAddresses(1)).isEqualTo(99);
        assertThat(h.client("02:00:00:00:00:02").discover().yiaddr()).isNotEqualTo(offer.yiaddr());
    }

    @Test
    void offerWhoseAddressLeftThePoolsIsDroppedByAReload() {
        h.client("02:00:00:00:00:01").discover();

        h.engine.reconfigure(EngineHarness.config(EngineHarness.BASE.replace("10.0.0.100-10.0.0.199", "10.0.0.150-10.0.0.199")));

        assertThat(h.engine.outstandingOffers()).isZero();
        assertThat(h.freeAddresses(1)).isEqualTo(50);
    }
}
